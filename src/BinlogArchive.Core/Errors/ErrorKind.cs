namespace BinlogArchive.Core.Errors;

/// <summary>
/// Engine-side error category. Mirrors the PowerShell ErrorCategory values we use so the
/// cmdlet layer can map one to one, without the engine referencing PowerShell.
/// </summary>
public enum ErrorKind
{
    InvalidData,
    InvalidArgument,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ResourceBusy,
    PermissionDenied,
    SecurityError,
    OperationTimeout,
    NotInstalled,
    WriteError,
    ReadError,
    ConnectionError,
}

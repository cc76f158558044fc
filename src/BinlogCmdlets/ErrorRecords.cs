using System.Management.Automation;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cmdlets;

/// <summary>The one place engine errors become PowerShell ErrorRecords (stable ErrorId, category, advice).</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(BinlogArchiveException ex, object? target = null)
    {
        var record = new ErrorRecord(ex, ex.ErrorId, Map(ex.Kind), target ?? ex.Target);
        if (!string.IsNullOrEmpty(ex.RecommendedAction))
        {
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction };
        }

        return record;
    }

    public static ErrorRecord From(string errorId, ErrorKind kind, string message, object? target) =>
        new(new BinlogArchiveException(errorId, kind, message), errorId, Map(kind), target);

    private static ErrorCategory Map(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.SecurityError => ErrorCategory.SecurityError,
        ErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        ErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        ErrorKind.ReadError => ErrorCategory.ReadError,
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };
}

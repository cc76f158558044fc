using System.Net;

namespace BinlogArchive.Core.Storage.AzureBlob;

/// <summary>A Blob service answer we did not want: its status, x-ms-error-code and message, before mapping to a user-facing error.</summary>
internal sealed class AzureRequestException : Exception
{
    public AzureRequestException(HttpStatusCode status, string? errorCode, string message)
        : base($"HTTP {(int)status} {errorCode}: {message}")
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }

    /// <summary>Throttling, server trouble, or a block whose bytes changed on the way (a resend reads them again).</summary>
    public bool IsTransient => (int)Status >= 500 || Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
        || IsChecksumMismatch || ErrorCode is "OperationTimedOut" or "ServerBusy" or "InternalError";

    /// <summary>The service refused the Content-MD5: Azure says Md5Mismatch, Azurite 400 InvalidOperation "Provided contentMD5 doesn't match."</summary>
    public bool IsChecksumMismatch => ErrorCode == "Md5Mismatch"
        || (Status == HttpStatusCode.BadRequest && ErrorCode == "InvalidOperation" && Message.Contains("md5", StringComparison.OrdinalIgnoreCase));
}

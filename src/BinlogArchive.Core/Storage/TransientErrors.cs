using System.Net.Sockets;

namespace BinlogArchive.Core.Storage;

/// <summary>Failures worth retrying whatever the protocol: the network and timeouts, never the caller's own cancellation.</summary>
internal static class TransientErrors
{
    public static bool IsNetwork(Exception ex, CancellationToken cancellationToken)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException:
                case SocketException:
                case IOException:
                case TimeoutException:
                    return true;
                case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                    // HttpClient's own timeout surfaces as a cancellation nobody asked for.
                    return true;
            }
        }

        return false;
    }

    public static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" -> ", messages);
    }
}

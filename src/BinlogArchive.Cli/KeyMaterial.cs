using System.Security.Cryptography;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cli;

/// <summary>
/// The master keys a command was given: <c>--key-file</c> (repeatable; the first is current, the
/// others open archives written before a rotation), <c>--key-fd N</c>, or <c>--key-file -</c> for
/// stdin. Key bytes never appear on the command line.
/// </summary>
public static class KeyMaterial
{
    /// <summary>Null when no key source was given; the caller disposes the set, which clears the keys.</summary>
    public static MasterKeySet? Load(string[]? keyFiles, int? keyFd, bool allowInsecure, CliConsole console)
    {
        if ((keyFiles is null || keyFiles.Length == 0) && keyFd is null)
        {
            return null;
        }

        var keys = new MasterKeySet();
        try
        {
            if (keyFd is { } fd)
            {
                AddRead(keys, $"/dev/fd/{fd}", $"--key-fd {fd}");
            }

            foreach (var file in keyFiles ?? [])
            {
                if (file == "-")
                {
                    AddRead(keys, "/dev/stdin", "stdin");
                }
                else
                {
                    keys.AddFile(file, allowInsecure, warning => console.Warning(KeyFile.InsecurePermissionsId, warning));
                }
            }

            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    private static void AddRead(MasterKeySet keys, string path, string what)
    {
        var content = ReadAll(path, what);
        try
        {
            keys.AddContent(content);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static byte[] ReadAll(string path, string what)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BinlogArchiveException("KeySourceUnreadable", ErrorKind.InvalidArgument,
                $"Cannot read the key from {what}: {ex.Message}", what,
                "Pass an open file descriptor that holds the key, or use --key-file.", ex);
        }
    }
}

using System.Security.Cryptography;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cli;

/// <summary>
/// The master keys a command was given: <c>--key-file</c> (repeatable; the first is current, the
/// others open archives written before a rotation), <c>--key-fd N</c>, or <c>--key-file -</c> for
/// stdin. Key bytes never appear on the command line. Dispose clears them.
/// </summary>
public sealed class KeyMaterial : IDisposable
{
    private readonly List<MasterKey> _keys = [];

    private KeyMaterial()
    {
    }

    public KeyRing Ring { get; private set; } = new();

    /// <summary>What `openssl enc -pass file:` would read from the first key source (for the legacy format).</summary>
    public byte[]? OpenSslPassphrase { get; private set; }

    public static KeyMaterial? Load(string[]? keyFiles, int? keyFd, bool allowInsecure, CliConsole console)
    {
        if ((keyFiles is null || keyFiles.Length == 0) && keyFd is null)
        {
            return null;
        }

        var material = new KeyMaterial();
        try
        {
            if (keyFd is { } fd)
            {
                material.AddFromBytes(ReadAll($"/dev/fd/{fd}", $"--key-fd {fd}"));
            }

            foreach (var file in keyFiles ?? [])
            {
                if (file == "-")
                {
                    material.AddFromBytes(ReadAll("/dev/stdin", "stdin"));
                    continue;
                }

                var key = KeyFile.Load(file, allowInsecure, out var warning);
                if (warning is not null)
                {
                    console.Warning(KeyFile.InsecurePermissionsId, warning);
                }

                material._keys.Add(key);
                material.OpenSslPassphrase ??= KeyFile.ReadOpenSslPassphrase(file, allowInsecure);
            }

            material.Ring = new KeyRing([.. material._keys]);
            return material;
        }
        catch
        {
            material.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        if (OpenSslPassphrase is not null)
        {
            CryptographicOperations.ZeroMemory(OpenSslPassphrase);
        }
    }

    private void AddFromBytes(byte[] content)
    {
        try
        {
            _keys.Add(KeyFile.Parse(content));
            OpenSslPassphrase ??= KeyFile.OpenSslPassphrase(content);
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

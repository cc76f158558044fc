using System.Security.Cryptography;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Master key files: 32 raw bytes, 64 hex digits or base64 of 32 bytes (surrounding whitespace
/// allowed). Errors describe the shape of the content, never the content.
/// </summary>
public static class KeyFile
{
    public const string InsecurePermissionsId = "KeyFileInsecurePermissions";
    public const string NotFoundId = "KeyFileNotFound";
    public const string InvalidId = "KeyFileInvalid";
    public const string UnreadableId = "KeyFileUnreadable";
    public const string ExistsId = "KeyFileExists";

    /// <summary>Larger than any valid encoding; stops a mistaken path (a binlog, /dev/zero) being slurped.</summary>
    private const int MaxFileBytes = 4096;

    /// <summary>openssl's APP_PASS_LEN: `-pass file:` reads at most this many bytes of the first line.</summary>
    private const int OpenSslMaxPassphrase = 1023;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static MasterKey Load(string path) => Load(path, force: false, out _);

    /// <summary>
    /// Loads a key file. A file group/other can read or write (mode &amp; 077) is refused unless
    /// <paramref name="force"/>; forced, the key loads and <paramref name="warning"/> says why that is unsafe.
    /// </summary>
    public static MasterKey Load(string path, bool force, out string? warning)
    {
        var bytes = ReadSecretFile(path, force, out warning);
        try
        {
            return Parse(bytes, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Parses key material from a buffer (stdin, --key-fd, a secret store).</summary>
    public static MasterKey Parse(ReadOnlySpan<byte> content) => Parse(content, null);

    /// <summary>
    /// The passphrase <c>openssl enc -pass file:PATH</c> uses: the first line, without its '\n'
    /// (OpenSSL apps: app_get_pass reads one line with BIO_gets and cuts it at the newline).
    /// The caller zeroes the returned array.
    /// </summary>
    public static byte[] ReadOpenSslPassphrase(string path, bool force = false)
    {
        var bytes = ReadSecretFile(path, force, out _);
        try
        {
            return OpenSslPassphrase(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>As <see cref="ReadOpenSslPassphrase"/>, over content already read.</summary>
    public static byte[] OpenSslPassphrase(ReadOnlySpan<byte> content)
    {
        var line = content;
        var newline = line.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        // openssl treats the line as a C string.
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            line = line[..nul];
        }

        if (line.Length > OpenSslMaxPassphrase)
        {
            line = line[..OpenSslMaxPassphrase];
        }

        return line.ToArray();
    }

    /// <summary>
    /// Creates a new key file: 64 lowercase hex digits and a newline, so the same file also serves
    /// as an <c>openssl enc -pass file:</c> passphrase. The file is created with mode 0600 before a
    /// byte is written, and an existing file is never overwritten.
    /// </summary>
    public static MasterKey Generate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var key = MasterKey.Generate();
        var text = new byte[(MasterKey.Length * 2) + 1];
        try
        {
            WriteHex(key.Bytes, text);
            text[^1] = (byte)'\n';
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(text);
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                throw new BinlogArchiveException(ExistsId, ErrorKind.ResourceExists,
                    $"Key file {path} already exists; refusing to overwrite it.", path,
                    "Choose another path, or move the existing key aside if you really mean to replace it (archives written under it need it to be read).");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
        }
    }

    internal static MasterKey Parse(ReadOnlySpan<byte> content, string? path)
    {
        // Exactly 32 bytes is raw key material, whatever the bytes are (they may look like whitespace).
        if (content.Length == MasterKey.Length)
        {
            return new MasterKey(content);
        }

        var text = content.Trim(" \t\r\n\f\v"u8);
        Span<byte> key = stackalloc byte[MasterKey.Length];
        try
        {
            if (text.Length == MasterKey.Length * 2 && TryParseHex(text, key))
            {
                return new MasterKey(key);
            }

            if (text.Length == 44 && TryParseBase64(text, key))
            {
                return new MasterKey(key);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        var where = path is null ? "The key material" : $"Key file {path}";
        throw new BinlogArchiveException(InvalidId, ErrorKind.InvalidData,
            $"{where} is not a 32-byte key: expected 32 raw bytes, 64 hex digits or base64 of 32 bytes, but found {content.Length} bytes ({text.Length} after trimming whitespace).",
            path, "Create a key with 'binlog-archive keygen --out FILE' (or 'openssl rand -hex 32 > FILE').");
    }

    private static byte[] ReadSecretFile(string path, bool force, out string? warning)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        warning = null;
        if (!File.Exists(path))
        {
            throw new BinlogArchiveException(NotFoundId, ErrorKind.ObjectNotFound, $"Key file {path} does not exist.", path,
                "Check the path, or create a key with 'binlog-archive keygen --out FILE'.");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
                if (!force)
                {
                    throw new BinlogArchiveException(InsecurePermissionsId, ErrorKind.SecurityError,
                        $"Key file {path} has mode {octal}: group or others may read or write it.", path,
                        $"Run 'chmod 600 {path}' (and make sure only the archiving user owns it), or pass --allow-insecure-key-file / -Force to use it anyway.");
                }

                warning = $"Key file {path} has mode {octal} (group or others may access it); used anyway because of --allow-insecure-key-file / -Force. Run 'chmod 600 {path}'.";
            }
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var buffer = new byte[MaxFileBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = file.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                CryptographicOperations.ZeroMemory(buffer);
                throw new BinlogArchiveException(InvalidId, ErrorKind.InvalidData,
                    $"Key file {path} is larger than {MaxFileBytes} bytes; it is not a key file.", path,
                    "Check the path: a key file holds 32 raw bytes, 64 hex digits or base64.");
            }

            var content = buffer.AsSpan(0, total).ToArray();
            CryptographicOperations.ZeroMemory(buffer);
            return content;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BinlogArchiveException(UnreadableId, ErrorKind.PermissionDenied, $"Key file {path} cannot be read: permission denied.", path,
                "Run as the user that owns the key file.", e);
        }
    }

    private static void WriteHex(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        const string digits = "0123456789abcdef";
        for (var i = 0; i < key.Length; i++)
        {
            destination[2 * i] = (byte)digits[key[i] >> 4];
            destination[(2 * i) + 1] = (byte)digits[key[i] & 0xF];
        }
    }

    private static bool TryParseHex(ReadOnlySpan<byte> text, Span<byte> key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var hi = HexValue(text[2 * i]);
            var lo = HexValue(text[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            key[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool TryParseBase64(ReadOnlySpan<byte> text, Span<byte> key)
    {
        Span<byte> decoded = stackalloc byte[48];
        try
        {
            var status = System.Buffers.Text.Base64.DecodeFromUtf8(text, decoded, out _, out var written);
            if (status != System.Buffers.OperationStatus.Done || written != MasterKey.Length)
            {
                return false;
            }

            decoded[..MasterKey.Length].CopyTo(key);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }
}

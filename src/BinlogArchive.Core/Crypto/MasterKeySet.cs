using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The master keys one command was given, in order (the first is current; later ones open
/// archives written before a rotation), plus the passphrase `openssl enc -pass file:` would read
/// from the first source, for the legacy format. Every key source the CLI and the cmdlets accept
/// goes through here. Dispose clears every key buffer.
/// </summary>
public sealed class MasterKeySet : IDisposable
{
    private readonly List<MasterKey> _keys = [];

    /// <summary>The keys as a ring (it does not own them; this set does).</summary>
    public KeyRing Ring { get; } = new();

    public int Count => _keys.Count;

    public byte[]? OpenSslPassphrase { get; private set; }

    /// <summary>32 raw key bytes (what Get-Secret returns); its openssl passphrase is the hex keygen writes.</summary>
    public void AddRaw(ReadOnlySpan<byte> key)
    {
        Keep(new MasterKey(key));
        OpenSslPassphrase ??= Encoding.ASCII.GetBytes(Hex.Lower(key));
    }

    /// <summary>Key-file content read from elsewhere (a descriptor, stdin); the caller clears its buffer.</summary>
    public void AddContent(ReadOnlySpan<byte> content)
    {
        Keep(KeyFile.Parse(content));
        OpenSslPassphrase ??= KeyFile.OpenSslPassphrase(content);
    }

    /// <summary>A key file; one that group or others can read is refused unless <paramref name="allowInsecure"/>, then <paramref name="warn"/> is told.</summary>
    public void AddFile(string path, bool allowInsecure, Action<string> warn)
    {
        Keep(KeyFile.Load(path, allowInsecure, out var warning));
        if (warning is not null)
        {
            warn(warning);
        }

        OpenSslPassphrase ??= KeyFile.ReadOpenSslPassphrase(path, allowInsecure);
    }

    private void Keep(MasterKey key)
    {
        _keys.Add(key);
        Ring.Add(key);
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        _keys.Clear();
        if (OpenSslPassphrase is not null)
        {
            CryptographicOperations.ZeroMemory(OpenSslPassphrase);
        }
    }
}

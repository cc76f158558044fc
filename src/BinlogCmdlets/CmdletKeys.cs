using System.Security.Cryptography;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Master keys from -Key [byte[]] (what Get-Secret returns for a binary secret) or -KeyFile
/// (several files make a key ring; the first is current). Dispose clears every key buffer.
/// </summary>
internal sealed class CmdletKeys : IDisposable
{
    private readonly List<MasterKey> _keys = [];

    public KeyRing Ring { get; private set; } = new();

    /// <summary>What `openssl enc -pass file:` would read: the key file's first line, or the hex of -Key.</summary>
    public byte[]? OpenSslPassphrase { get; private set; }

    public static CmdletKeys Load(byte[]? key, string[]? keyFiles, bool allowInsecure, Action<string> warn)
    {
        var keys = new CmdletKeys();
        try
        {
            if (key is not null)
            {
                keys._keys.Add(new MasterKey(key));
                keys.OpenSslPassphrase = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(key).ToLowerInvariant());
            }

            foreach (var file in keyFiles ?? [])
            {
                keys._keys.Add(KeyFile.Load(file, allowInsecure, out var warning));
                if (warning is not null)
                {
                    warn(warning);
                }

                keys.OpenSslPassphrase ??= KeyFile.ReadOpenSslPassphrase(file, allowInsecure);
            }

            keys.Ring = new KeyRing([.. keys._keys]);
            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var k in _keys)
        {
            k.Dispose();
        }

        if (OpenSslPassphrase is not null)
        {
            CryptographicOperations.ZeroMemory(OpenSslPassphrase);
        }
    }
}

using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Master keys from -Key [byte[]] (what Get-Secret returns for a binary secret) and -KeyFile
/// (several files make a key ring; the first is current). Disposing the set clears every key.
/// </summary>
internal static class CmdletKeys
{
    public static MasterKeySet Load(byte[]? key, IEnumerable<string>? keyFiles, bool allowInsecure, Action<string> warn)
    {
        var keys = new MasterKeySet();
        try
        {
            if (key is not null)
            {
                keys.AddRaw(key);
            }

            foreach (var file in keyFiles ?? [])
            {
                keys.AddFile(file, allowInsecure, warn);
            }

            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }
}

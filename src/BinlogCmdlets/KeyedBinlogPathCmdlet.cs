using System.Management.Automation;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Cmdlets;

/// <summary>A path cmdlet that takes a master key as -Key [byte[]] or -KeyFile; never as a string.</summary>
public abstract class KeyedBinlogPathCmdlet : BinlogPathCmdlet
{
    /// <summary>The 32-byte master key, e.g. (Get-Secret BinlogMasterKey).</summary>
    [Parameter]
    [ValidateCount(32, 32)]
    public byte[]? Key { get; set; }

    /// <summary>Key files; several make a key ring (the first is current, the others open older archives).</summary>
    [Parameter]
    public string[]? KeyFile { get; set; }

    /// <summary>Accept key files that group or others can read (a warning is still written).</summary>
    [Parameter]
    public SwitchParameter AllowInsecureKeyFile { get; set; }

    internal MasterKeySet? LoadKeys()
    {
        if (Key is null && (KeyFile is null || KeyFile.Length == 0))
        {
            return null;
        }

        var files = KeyFile?.Select(GetUnresolvedProviderPathFromPSPath).ToArray();
        return CmdletKeys.Load(Key, files, AllowInsecureKeyFile.IsPresent, WriteWarning);
    }
}

namespace BinlogArchive.Core.Crypto;

/// <summary>How a BLAR1 archive's root key relates to the master key.</summary>
public enum BlarKeyMode
{
    /// <summary>A fresh random DEK per archive, wrapped under the master key (re-wrappable on rotation).</summary>
    Envelope,

    /// <summary>The master key is the root key; the envelope's wrapped_dek is empty.</summary>
    Direct,
}

using System.Security.Cryptography;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The sidecar MAC key of one archive. Lets the pipeline MAC a sidecar, and verify compute it
/// without decrypting, while the root key (the DEK in envelope mode) never leaves the engine.
/// </summary>
public sealed class SidecarMacKey : IDisposable
{
    private readonly byte[] _key = GC.AllocateUninitializedArray<byte>(BlarFormat.KeyLength, pinned: true);
    private bool _disposed;

    internal SidecarMacKey(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> salt) =>
        BlarFormat.DeriveSidecarMacKey(rootKey, salt, _key);

    /// <summary>Derives the key for an archive from its header and the key ring (unwrapping the DEK if needed).</summary>
    public static SidecarMacKey ForArchive(BlarHeader header, KeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(keys);
        Span<byte> root = stackalloc byte[BlarFormat.KeyLength];
        try
        {
            header.ResolveRootKey(keys, root, null);
            return new SidecarMacKey(root, header.Salt.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(root);
        }
    }

    /// <summary>For a legacy openssl archive: root = master key, salt = the 8-byte Salted__ salt.</summary>
    public static SidecarMacKey ForLegacy(MasterKey key, ReadOnlySpan<byte> opensslSalt)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SidecarMacKey(key.Bytes, opensslSalt);
    }

    public string Compute(IReadOnlyList<string?> values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SidecarMac.ComputeWithMacKey(_key, values);
    }

    public bool Verify(IReadOnlyList<string?> values, string? macHex) => SidecarMac.Matches(Compute(values), macHex);

    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    public override string ToString() => "SidecarMacKey";
}

using System.Security.Cryptography;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// A 32-byte master key (or KEK). The bytes live in a pinned array, so the GC never leaves copies
/// behind, and are zeroed on <see cref="Dispose"/>. <see cref="ToString"/> shows only the key id.
/// </summary>
public sealed class MasterKey : IDisposable
{
    public const int Length = 32;

    private readonly byte[] _key;
    private bool _disposed;

    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"a master key is exactly {Length} bytes, not {key.Length}", nameof(key));
        }

        _key = GC.AllocateUninitializedArray<byte>(Length, pinned: true);
        key.CopyTo(_key);
        Id = Crypto.KeyId.Compute(_key);
    }

    /// <summary>The non-reversible fingerprint recorded in archive headers (see <see cref="Crypto.KeyId"/>).</summary>
    public string Id { get; }

    /// <summary>The key bytes; internal so only the engine's crypto code can reach them.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    public static MasterKey Generate()
    {
        Span<byte> buffer = stackalloc byte[Length];
        RandomNumberGenerator.Fill(buffer);
        try
        {
            return new MasterKey(buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    public override string ToString() => $"MasterKey({Id})";
}

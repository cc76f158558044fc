using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// A parsed BLAR1 header (ARCHITECTURE.md §4). Readable without any key, so verify can report
/// what an archive is and which key it needs.
/// </summary>
public sealed record BlarHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public required byte Version { get; init; }

    public required BlarCompression Compression { get; init; }

    public required BlarCipher Cipher { get; init; }

    /// <summary>Plaintext bytes per chunk (every chunk but the last is exactly this long).</summary>
    public required int ChunkSize { get; init; }

    public required ReadOnlyMemory<byte> Salt { get; init; }

    public required ReadOnlyMemory<byte> NoncePrefix { get; init; }

    /// <summary>The original binlog file name.</summary>
    public required string SourceName { get; init; }

    /// <summary>Which master key / KEK the archive needs (a fingerprint, never the key).</summary>
    public required string KeyId { get; init; }

    /// <summary>Empty in direct mode; the wrapped DEK in envelope mode.</summary>
    public required ReadOnlyMemory<byte> WrappedDek { get; init; }

    public BlarKeyMode KeyMode => WrappedDek.IsEmpty ? BlarKeyMode.Direct : BlarKeyMode.Envelope;

    /// <summary>The exact bound-part bytes as read or written: hashed into the file key.</summary>
    internal ReadOnlyMemory<byte> BoundPart { get; init; }

    /// <summary>Total header length (bound part + env_len + envelope); chunk 0 starts here.</summary>
    public int Length => BoundPart.Length + 4 + EnvelopeLength;

    internal int EnvelopeLength => 2 + Encoding.UTF8.GetByteCount(KeyId) + 2 + WrappedDek.Length;

    /// <summary>Reads and validates a header, leaving <paramref name="stream"/> at chunk 0.</summary>
    public static BlarHeader ReadFrom(Stream stream, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        target ??= (stream as FileStream)?.Name;
        var fixedPart = new byte[BlarFormat.FixedBoundLength];
        var got = stream.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            throw new BlarFormatException(BlarFormatException.EmptyFile, ErrorKind.InvalidData, "archive is empty (0 bytes)", target,
                "The archive was never written completely; protect the binlog again.");
        }

        var magicSeen = Math.Min(got, 4);
        if (!fixedPart.AsSpan(0, magicSeen).SequenceEqual(BlarFormat.Magic[..magicSeen]))
        {
            throw new BlarFormatException(BlarFormatException.BadMagic, ErrorKind.InvalidData,
                $"not a BLAR1 archive (magic is not \"BLAR\"; looks like: {ArchiveFormatDetector.Describe(fixedPart.AsSpan(0, got))})", target,
                "Check the file: legacy openssl archives and plain .zst files are read by their own readers.");
        }

        if (got >= 5 && fixedPart[4] != BlarFormat.Version)
        {
            throw new BlarFormatException(BlarFormatException.UnsupportedVersion, ErrorKind.InvalidData,
                $"unsupported BLAR version {fixedPart[4]} (this build reads version {BlarFormat.Version})", target,
                "Use a newer binlog-archive to read this archive.");
        }

        if (got >= 6 && !Enum.IsDefined((BlarCompression)fixedPart[5]))
        {
            throw UnknownAlgorithm(target, $"unknown compression {fixedPart[5]}");
        }

        if (got >= 7 && !Enum.IsDefined((BlarCipher)fixedPart[6]))
        {
            throw UnknownAlgorithm(target, $"unknown cipher {fixedPart[6]}");
        }

        if (got < fixedPart.Length)
        {
            throw BlarFormatException.TruncatedAt(target, $"the header ends after {got} bytes");
        }

        var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(fixedPart.AsSpan(7));
        if (chunkSize is < BlarFormat.MinChunkSize or > BlarFormat.MaxChunkSize)
        {
            throw BlarFormatException.Corrupt(target, $"chunk size {chunkSize} is outside {BlarFormat.MinChunkSize}..{BlarFormat.MaxChunkSize}");
        }

        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart.AsSpan(BlarFormat.FixedBoundLength - 2));
        var bound = new byte[BlarFormat.FixedBoundLength + nameLength];
        fixedPart.CopyTo(bound, 0);
        ReadExactly(stream, bound.AsSpan(BlarFormat.FixedBoundLength), target, "source name");
        var sourceName = DecodeUtf8(bound.AsSpan(BlarFormat.FixedBoundLength), target, "source name");

        Span<byte> envLenField = stackalloc byte[4];
        ReadExactly(stream, envLenField, target, "envelope length");
        var envLength = BinaryPrimitives.ReadUInt32BigEndian(envLenField);

        // Two u16-prefixed fields: anything longer cannot be well formed.
        if (envLength is < 4 or > 4 + (2 * ushort.MaxValue))
        {
            throw BlarFormatException.Corrupt(target, $"envelope length {envLength} is impossible");
        }

        var envelope = new byte[envLength];
        ReadExactly(stream, envelope, target, "envelope");
        var keyIdLength = BinaryPrimitives.ReadUInt16BigEndian(envelope);
        if (2 + keyIdLength + 2 > envelope.Length)
        {
            throw BlarFormatException.Corrupt(target, "key id overruns the envelope");
        }

        var keyId = DecodeUtf8(envelope.AsSpan(2, keyIdLength), target, "key id");
        var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(2 + keyIdLength));
        if (2 + keyIdLength + 2 + wrappedLength != envelope.Length)
        {
            throw BlarFormatException.Corrupt(target, "envelope length does not match its fields");
        }

        return new BlarHeader
        {
            Version = bound[4],
            Compression = (BlarCompression)bound[5],
            Cipher = (BlarCipher)bound[6],
            ChunkSize = (int)chunkSize,
            Salt = bound.AsMemory(11, BlarFormat.SaltLength),
            NoncePrefix = bound.AsMemory(11 + BlarFormat.SaltLength, BlarFormat.NoncePrefixLength),
            SourceName = sourceName,
            KeyId = keyId,
            WrappedDek = envelope.AsMemory(2 + keyIdLength + 2, wrappedLength),
            BoundPart = bound,
        };
    }

    /// <summary>A new header with fresh random salt and nonce prefix; <see cref="BoundPart"/> serialised.</summary>
    internal static BlarHeader Create(string sourceName, BlarCompression compression, int chunkSize, string keyId, byte[] wrappedDek)
    {
        var nameBytes = Encoding.UTF8.GetBytes(sourceName);
        if (nameBytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("source name is longer than 65535 UTF-8 bytes", nameof(sourceName));
        }

        if (Encoding.UTF8.GetByteCount(keyId) > ushort.MaxValue || wrappedDek.Length > ushort.MaxValue)
        {
            throw new ArgumentException("key id or wrapped DEK too long");
        }

        var bound = new byte[BlarFormat.FixedBoundLength + nameBytes.Length];
        BlarFormat.Magic.CopyTo(bound);
        bound[4] = BlarFormat.Version;
        bound[5] = (byte)compression;
        bound[6] = (byte)BlarCipher.Aes256GcmHkdfSha256;
        BinaryPrimitives.WriteUInt32BigEndian(bound.AsSpan(7), (uint)chunkSize);
        RandomNumberGenerator.Fill(bound.AsSpan(11, BlarFormat.SaltLength + BlarFormat.NoncePrefixLength));
        BinaryPrimitives.WriteUInt16BigEndian(bound.AsSpan(BlarFormat.FixedBoundLength - 2), (ushort)nameBytes.Length);
        nameBytes.CopyTo(bound, BlarFormat.FixedBoundLength);
        return new BlarHeader
        {
            Version = BlarFormat.Version,
            Compression = compression,
            Cipher = BlarCipher.Aes256GcmHkdfSha256,
            ChunkSize = chunkSize,
            Salt = bound.AsMemory(11, BlarFormat.SaltLength),
            NoncePrefix = bound.AsMemory(11 + BlarFormat.SaltLength, BlarFormat.NoncePrefixLength),
            SourceName = sourceName,
            KeyId = keyId,
            WrappedDek = wrappedDek,
            BoundPart = bound,
        };
    }

    /// <summary>Bound part, env_len and envelope, as written to disk.</summary>
    internal byte[] Serialize()
    {
        var keyIdBytes = Encoding.UTF8.GetBytes(KeyId);
        var result = new byte[Length];
        var span = result.AsSpan();
        BoundPart.Span.CopyTo(span);
        span = span[BoundPart.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)EnvelopeLength);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)keyIdBytes.Length);
        keyIdBytes.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(6 + keyIdBytes.Length)..], (ushort)WrappedDek.Length);
        WrappedDek.Span.CopyTo(span[(8 + keyIdBytes.Length)..]);
        return result;
    }

    /// <summary>
    /// Finds the key the header names and produces the root key (the unwrapped DEK in envelope mode).
    /// Because key ids are fingerprints, a key found by id is known to be the right one.
    /// </summary>
    internal void ResolveRootKey(KeyRing keys, Span<byte> rootKey, string? target)
    {
        if (!keys.TryGet(KeyId, out var master))
        {
            var held = keys.Count == 0 ? "none" : string.Join(", ", keys.KeyIds);
            throw new BlarFormatException(BlarFormatException.WrongKey, ErrorKind.SecurityError,
                $"archive needs key id {KeyId}, which is not among the keys given (held: {held})", target,
                $"Supply the master key whose id is {KeyId} (keys kept after a rotation can be added to the key ring).",
                requiredKeyId: KeyId);
        }

        if (KeyMode == BlarKeyMode.Direct)
        {
            master.Bytes.CopyTo(rootKey);
            return;
        }

        if (!BlarEnvelope.TryUnwrap(master.Bytes, KeyId, WrappedDek.Span, rootKey))
        {
            throw new BlarFormatException(BlarFormatException.TamperedEnvelope, ErrorKind.SecurityError,
                $"the key envelope does not authenticate under key {KeyId}: the wrapped data key was modified", target,
                "Restore the archive from another copy; if it was re-wrapped, use the re-wrapped file and its sidecar.",
                requiredKeyId: KeyId);
        }
    }

    private static BlarFormatException UnknownAlgorithm(string? target, string detail) =>
        new(BlarFormatException.UnknownAlgorithm, ErrorKind.InvalidData, detail, target,
            "Use a newer binlog-archive, or check that the archive is not corrupted.");

    private static void ReadExactly(Stream stream, Span<byte> buffer, string? target, string what)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw BlarFormatException.TruncatedAt(target, $"the header ends inside the {what}");
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string? target, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw BlarFormatException.Corrupt(target, $"{what} is not valid UTF-8");
        }
    }
}

using System.Buffers;
using System.Security.Cryptography;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// The single read of a source binlog (ARCHITECTURE.md §3): each buffer is hashed (plaintext
/// SHA-256), parsed by the reader's side pass, compressed and encrypted, and the ciphertext is
/// hashed on its way to the temp file. Nothing plaintext touches the disk.
/// </summary>
internal static class ProtectPass
{
    private const int BufferSize = 1 << 20;
    private const long ProgressEvery = 8L << 20;

    public static ProtectPassResult Run(Stream source, string sourceName, long expectedSize, Stream output,
        KeyRing keys, ProtectOptions options, CancellationToken cancellationToken)
    {
        using var cipherHash = HashingStream.Sha256(output, leaveOpen: true);
        return options.Format == ArchiveWriteFormat.OpenSslCbc
            ? RunOpenSsl(source, sourceName, expectedSize, cipherHash, keys.Current, options, cancellationToken)
            : RunBlar(source, sourceName, expectedSize, cipherHash, keys, options, cancellationToken);
    }

    private static ProtectPassResult RunBlar(Stream source, string sourceName, long expectedSize, HashingStream cipherHash,
        KeyRing keys, ProtectOptions options, CancellationToken cancellationToken)
    {
        var blar = new BlarWriter(cipherHash, keys, new BlarWriterOptions
        {
            SourceName = sourceName,
            ChunkSize = options.ChunkSize,
            KeyMode = options.KeyMode,
        }, leaveOpen: true);
        using (blar)
        {
            var (summary, sha, size) = Compress(source, sourceName, expectedSize, blar, cipherHash, options, cancellationToken);
            blar.Complete();
            var macKey = blar.CreateSidecarMacKey();
            cipherHash.Flush();
            var encryption = new SidecarEncryption
            {
                Algorithm = "aes-256-gcm-hkdf-sha256",
                ChunkSize = blar.Header.ChunkSize,
                KeyId = blar.Header.KeyId,
                Envelope = blar.Header.KeyMode == BlarKeyMode.Envelope ? "aes-256-gcm-wrap" : "direct",
            };
            return new ProtectPassResult(summary, size, sha, cipherHash.BytesHashed, cipherHash.GetHashHex(),
                blar.Header.KeyId, encryption, macKey);
        }
    }

    private static ProtectPassResult RunOpenSsl(Stream source, string sourceName, long expectedSize, HashingStream cipherHash,
        MasterKey key, ProtectOptions options, CancellationToken cancellationToken)
    {
        var passphrase = options.OpenSslPassphrase ?? throw new BinlogArchiveException("OpenSslPassphraseMissing",
            ErrorKind.InvalidArgument, "The openssl-cbc format needs the key file's passphrase (as `openssl enc -pass file:KEY` reads it).",
            recommendedAction: "Pass the key as a key file (--key-file / -KeyFile) when writing --format openssl-cbc.");
        using var hmacStream = new HashingStream(cipherHash, LegacyFileMac.CreateHmac(key), leaveOpen: true);
        using var cbc = new OpenSslCbcWriter(hmacStream, passphrase, options.OpenSslIterations, leaveOpen: true);
        var (summary, sha, size) = Compress(source, sourceName, expectedSize, cbc, cipherHash, options, cancellationToken);
        cbc.Complete();
        hmacStream.Flush();
        var encryption = new SidecarEncryption
        {
            Algorithm = "aes-256-cbc-pbkdf2-sha256",
            KeyId = key.Id,
            Envelope = "none",
            Iterations = options.OpenSslIterations,
            Hmac = hmacStream.GetHashHex(),
        };
        return new ProtectPassResult(summary, size, sha, cipherHash.BytesHashed, cipherHash.GetHashHex(),
            key.Id, encryption, SidecarMacKey.ForLegacy(key, cbc.Salt));
    }

    private static (BinlogFileSummary Summary, string Sha256, long Size) Compress(Stream source, string sourceName,
        long expectedSize, Stream sealer, HashingStream cipherHash, ProtectOptions options, CancellationToken cancellationToken)
    {
        var scanner = new BinlogScanner(sourceName);
        using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        long nextProgress = ProgressEvery;
        try
        {
            using var zstd = new ZstdCompressStream(sealer, options.CompressionLevel, options.Workers, expectedSize, leaveOpen: true);
            int read;
            while ((read = source.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = buffer.AsSpan(0, read);
                plainHash.AppendData(chunk);
                scanner.Append(chunk);
                zstd.Write(chunk);
                total += read;
                if (total >= nextProgress)
                {
                    options.Progress?.Report(new ProtectProgress(sourceName, total, expectedSize, cipherHash.BytesHashed));
                    nextProgress += ProgressEvery;
                }
            }

            zstd.Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        options.Progress?.Report(new ProtectProgress(sourceName, total, expectedSize, cipherHash.BytesHashed));
        return (scanner.Complete(), Hex.Lower(plainHash.GetHashAndReset()), total);
    }
}

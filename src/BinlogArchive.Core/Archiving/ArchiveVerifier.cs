using System.Buffers;
using System.Security.Cryptography;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// Test-BinlogArchive's engine: the dry-run restore. With a key, one pass authenticates every
/// chunk, requires the last-chunk flag and no trailing bytes, decompresses the whole zstd stream,
/// and compares the plaintext and archive SHA-256 with the sidecar, whose MAC it checks; the
/// archive must hold the binlog its name and sidecar claim. Without a key it checks structure and
/// the archive hash, and says what it could not check. Also reads legacy archives: openssl-cbc
/// (HMAC from our sidecar, or unauthenticated from old shell pipelines) and plain .zst.
/// </summary>
public sealed class ArchiveVerifier
{
    private const int BufferSize = 1 << 20;

    private readonly KeyRing? _keys;
    private readonly byte[]? _openSslPassphrase;

    public ArchiveVerifier(KeyRing? keys, byte[]? openSslPassphrase = null)
    {
        _keys = keys;
        _openSslPassphrase = openSslPassphrase;
    }

    public ArchiveVerification Verify(string archivePath, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(archivePath);
        var run = new VerificationRun(path);
        try
        {
            if (!File.Exists(path))
            {
                throw new BinlogArchiveException("ArchiveNotFound", ErrorKind.ObjectNotFound, $"{path} does not exist.", path,
                    "Check the path to the .zst.enc archive.");
            }

            var sidecarPath = Sidecar.PathFor(path);
            var sidecar = File.Exists(sidecarPath) ? Sidecar.Load(sidecarPath) : null;
            run.Sidecar = sidecar;
            var format = ArchiveFormatDetector.Detect(path);
            if (sidecar is null && format == ArchiveFormat.Blar)
            {
                throw new BinlogArchiveException("SidecarMissing", ErrorKind.ObjectNotFound,
                    $"{path}: its sidecar {sidecarPath} is missing, so the archive is incomplete (or copied without it).", path,
                    "Copy the .json sidecar next to the archive, or re-protect the source binlog.");
            }

            switch (format)
            {
                case ArchiveFormat.Blar:
                    VerifyBlar(run, sidecar!, cancellationToken);
                    break;
                case ArchiveFormat.OpenSslSalted:
                    VerifyOpenSsl(run, sidecar, cancellationToken);
                    break;
                case ArchiveFormat.Zstd:
                    VerifyPlainZstd(run, sidecar, cancellationToken);
                    break;
                default:
                    throw new BinlogArchiveException(new FileInfo(path).Length == 0 ? "ArchiveEmpty" : "ArchiveUnknownFormat",
                        ErrorKind.InvalidData, $"{path} is not a BLAR1, openssl-enc or zstd archive.", path,
                        "Check that this is an archive written by binlog-archive or by the zstd|openssl pipeline.");
            }

            return run.Pass();
        }
        catch (BinlogArchiveException ex)
        {
            return run.Fail(ex.ErrorId, ex.Message);
        }
        catch (IOException ex)
        {
            return run.Fail("ArchiveUnreadable", $"{path}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return run.Fail("ArchiveUnreadable", $"{path}: {ex.Message}");
        }
    }

    private void VerifyBlar(VerificationRun run, Sidecar sidecar, CancellationToken cancellationToken)
    {
        CheckNames(run, sidecar);
        using var file = OpenArchive(run.Path);
        using var archiveHash = HashingStream.Sha256(file, leaveOpen: true);
        if (_keys is null)
        {
            var header = BlarHeader.ReadFrom(archiveHash, run.Path);
            Require(header.SourceName == sidecar.Source.File, "ArchiveSourceMismatch",
                $"{run.Path}: the header says it holds {header.SourceName}, the sidecar says {sidecar.Source.File}.");
            run.Checked.Add("header structure and source name");
            Drain(archiveHash, cancellationToken);
            CheckArchiveHash(run, sidecar, archiveHash);
            run.NotChecked.AddRange(["chunk authentication (no key)", "zstd stream (no key)", "source sha256 (no key)", "sidecar MAC (no key)"]);
            return;
        }

        using var blar = new BlarReader(archiveHash, _keys, leaveOpen: true, target: run.Path);
        Require(blar.Header.SourceName == sidecar.Source.File, "ArchiveSourceMismatch",
            $"{run.Path}: the header says it holds {blar.Header.SourceName}, the sidecar says {sidecar.Source.File}.");
        // The MAC first: an edited sidecar is reported as such, not as a hash mismatch it causes.
        using (var macKey = blar.CreateSidecarMacKey())
        {
            Require(macKey.Verify(sidecar.MacValues, sidecar.Mac), "SidecarMacInvalid",
                $"{Sidecar.PathFor(run.Path)}: the sidecar MAC does not match: the sidecar was edited or belongs to another archive.");
            run.Checked.Add("sidecar MAC");
        }

        // Decrypt, decompress and plaintext hash run as a pipeline on three threads.
        var (plainSha, plainSize) = BlarDecodePipeline.DecodeAndHash(blar, cancellationToken);
        blar.VerifyToEnd();
        run.Checked.AddRange(["every chunk authenticated", "last-chunk flag", "no trailing data", "zstd stream complete"]);
        Drain(archiveHash, cancellationToken);
        CheckArchiveHash(run, sidecar, archiveHash);
        CheckSource(run, sidecar, plainSha, plainSize);
    }

    private void VerifyOpenSsl(VerificationRun run, Sidecar? sidecar, CancellationToken cancellationToken)
    {
        if (sidecar is not null)
        {
            CheckNames(run, sidecar);
            using var hashFile = OpenArchive(run.Path);
            using var archiveHash = HashingStream.Sha256(hashFile, leaveOpen: true);
            Drain(archiveHash, cancellationToken);
            CheckArchiveHash(run, sidecar, archiveHash);
            if (_keys is not null)
            {
                // CBC is unauthenticated: check the sidecar's whole-file HMAC before decrypting anything.
                using var macFile = OpenArchive(run.Path);
                Require(LegacyFileMac.Verify(_keys.Current, macFile, sidecar.Archive.Encryption.Hmac), "ArchiveHmacInvalid",
                    $"{run.Path}: the archive's HMAC does not match its sidecar: it was modified.");
                run.Checked.Add("archive HMAC");
            }
        }
        else
        {
            run.NotChecked.Add("authenticity: no sidecar with an HMAC (archive from an openssl shell pipeline; CBC is unauthenticated)");
        }

        if (_openSslPassphrase is null)
        {
            run.NotChecked.AddRange(["decryption (no key file)", "zstd stream (no key file)"]);
            return;
        }

        using var file = OpenArchive(run.Path);
        var iterations = sidecar?.Archive.Encryption.Iterations ?? OpenSslCbc.DefaultIterations;
        using var cbc = new OpenSslCbcReader(file, _openSslPassphrase, iterations, leaveOpen: true, target: run.Path);
        using var zstd = new ZstdDecompressStream(cbc, leaveOpen: true);
        var (plainSha, plainSize) = HashAll(zstd, cancellationToken);
        run.Checked.AddRange(["decryption and padding", "zstd stream complete"]);
        if (sidecar is not null)
        {
            CheckSource(run, sidecar, plainSha, plainSize);
            if (_keys is not null)
            {
                using var macKey = SidecarMacKey.ForLegacy(_keys.Current, cbc.Salt);
                Require(macKey.Verify(sidecar.MacValues, sidecar.Mac), "SidecarMacInvalid",
                    $"{Sidecar.PathFor(run.Path)}: the sidecar MAC does not match: the sidecar was edited or belongs to another archive.");
                run.Checked.Add("sidecar MAC");
            }
        }
    }

    private static void VerifyPlainZstd(VerificationRun run, Sidecar? sidecar, CancellationToken cancellationToken)
    {
        using var file = OpenArchive(run.Path);
        using var zstd = new ZstdDecompressStream(file, leaveOpen: true);
        var (plainSha, plainSize) = HashAll(zstd, cancellationToken);
        run.Checked.Add("zstd stream complete (frame checksums)");
        run.NotChecked.Add("authenticity: plain zstd is neither encrypted nor authenticated");
        if (sidecar is not null)
        {
            CheckSource(run, sidecar, plainSha, plainSize);
        }
    }

    private static void CheckNames(VerificationRun run, Sidecar sidecar)
    {
        var claimed = ArchiveNaming.SourceNameOf(Path.GetFileName(run.Path));
        Require(claimed == sidecar.Source.File && Path.GetFileName(run.Path) == sidecar.Archive.File, "ArchiveRenamed",
            $"{run.Path}: the file name says it holds {claimed ?? "(unknown)"}, but it was written for {sidecar.Source.File} " +
            $"as {sidecar.Archive.File}. An archive renamed to another binlog's name would restore the wrong data.");
        run.Checked.Add("archive name bound to its source");
    }

    private static void CheckArchiveHash(VerificationRun run, Sidecar sidecar, HashingStream archiveHash)
    {
        Require(archiveHash.BytesHashed == sidecar.Archive.Size, "ArchiveSizeMismatch",
            $"{run.Path}: {archiveHash.BytesHashed} bytes, the sidecar says {sidecar.Archive.Size}.");
        Require(archiveHash.GetHashHex() == sidecar.Archive.Sha256, "ArchiveHashMismatch",
            $"{run.Path}: archive SHA-256 differs from the sidecar's: the file was modified or replaced.");
        run.Checked.Add("archive size and sha256");
    }

    private static void CheckSource(VerificationRun run, Sidecar sidecar, string plainSha, long plainSize)
    {
        Require(plainSize == sidecar.Source.Size && plainSha == sidecar.Source.Sha256, "SourceHashMismatch",
            $"{run.Path}: the restored binlog ({plainSize} bytes) does not match the sidecar's source ({sidecar.Source.Size} bytes, sha256 {sidecar.Source.Sha256[..12]}…).");
        run.Checked.Add("source size and sha256");
    }

    private static (string Sha256, long Size) HashAll(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Hex.Lower(hash.GetHashAndReset()), total);
    }

    private static void Drain(Stream stream, CancellationToken cancellationToken) => HashAll(stream, cancellationToken);

    private static FileStream OpenArchive(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static void Require(bool condition, string errorId, string message)
    {
        if (!condition)
        {
            throw new BinlogArchiveException(errorId, ErrorKind.InvalidData, message);
        }
    }

    private sealed class VerificationRun(string path)
    {
        public string Path { get; } = path;

        public Sidecar? Sidecar { get; set; }

        public List<string> Checked { get; } = [];

        public List<string> NotChecked { get; } = [];

        public ArchiveVerification Pass() => new()
        {
            ArchivePath = Path, Valid = true, Checked = Checked, NotChecked = NotChecked, Sidecar = Sidecar,
        };

        public ArchiveVerification Fail(string errorId, string message) => new()
        {
            ArchivePath = Path, Valid = false, ErrorId = errorId, Error = message, Checked = Checked, NotChecked = NotChecked, Sidecar = Sidecar,
        };
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// Protect-Binlog's engine: turns a source binlog into <c>&lt;binlog&gt;.zst.enc</c> + sidecar in
/// the output directory. Idempotent: an existing valid archive of the same content is reported
/// and skipped; different content under the same name is refused unless forced. The archive is
/// published (fsync + rename) before the sidecar, so a visible sidecar always means a complete
/// archive. The source is opened read-only and never modified.
/// </summary>
public sealed class BinlogProtector
{
    private readonly KeyRing _keys;
    private readonly ProtectOptions _options;

    public BinlogProtector(KeyRing keys, ProtectOptions options)
    {
        _keys = keys;
        _options = options;
    }

    /// <summary>Removes temp files left by protect runs that crashed. Returns what was removed.</summary>
    public IReadOnlyList<string> CleanLeftovers() => AtomicFile.CleanLeftovers(_options.OutputDirectory);

    /// <summary>Where the archive of <paramref name="sourcePath"/> goes (no I/O beyond checking the source exists).</summary>
    public string ArchivePathFor(string sourcePath) => Resolve(sourcePath).ArchivePath;

    /// <summary>What <see cref="Protect"/> would do, writing nothing (-WhatIf / --dry-run).</summary>
    public BinlogArchiveEntry Plan(string sourcePath)
    {
        var (source, archivePath) = Resolve(sourcePath);
        var existing = CheckExisting(source, archivePath);
        if (existing is not null)
        {
            return existing;
        }

        return new BinlogArchiveEntry
        {
            FullName = archivePath,
            Name = Path.GetFileName(archivePath),
            SidecarPath = Sidecar.PathFor(archivePath),
            SourcePath = source.FullName,
            SourceName = source.Name,
            SourceSize = source.Length,
            Outcome = ArchiveOutcome.WouldCreate,
            Format = _options.Format == ArchiveWriteFormat.OpenSslCbc ? "openssl-cbc" : "BLAR1",
            KeyId = _keys.Current.Id,
            CompressionLevel = _options.CompressionLevel,
        };
    }

    public BinlogArchiveEntry Protect(string sourcePath, CancellationToken cancellationToken = default)
    {
        var (source, archivePath) = Resolve(sourcePath);
        var existing = CheckExisting(source, archivePath);
        if (existing is not null)
        {
            return existing;
        }

        var startedAt = _options.Clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var before = Snapshot(source);

        using var archive = Output(archivePath, () =>
        {
            Directory.CreateDirectory(_options.OutputDirectory);
            return AtomicFile.Create(archivePath);
        });
        ProtectPassResult pass;
        using (var input = OpenSource(source.FullName))
        {
            pass = ProtectPass.Run(input, source.Name, before.Length, archive.Stream, _keys, _options, cancellationToken);
        }

        using var macKey = pass.MacKey;
        EnsureUnchanged(source.FullName, before, pass.SourceSize);
        EnsureReadable(source.FullName, pass.Summary);

        var sidecar = SidecarFactory.Create(source.Name, Path.GetFileName(archivePath), pass, _options,
            _options.CorrelationId ?? Guid.NewGuid().ToString("N"), startedAt, watch.Elapsed);
        Output(archivePath, () =>
        {
            // Replacing an archive (forced, or a damaged one of the same source): withdraw the old
            // sidecar first, or between the two renames it would vouch for the new archive. An
            // archive without a sidecar is incomplete, and the next run redoes it.
            AtomicFile.Remove(Sidecar.PathFor(archivePath));

            // The archive becomes visible first; the sidecar, renamed last, marks it complete.
            archive.Commit(overwrite: true);
            using var sidecarFile = AtomicFile.Create(Sidecar.PathFor(archivePath));
            using (var writer = new StreamWriter(sidecarFile.Stream, leaveOpen: true))
            {
                writer.Write(sidecar.ToJson());
                writer.Write('\n');
            }

            sidecarFile.Commit(overwrite: true);
            return true;
        });

        return BinlogArchiveEntry.FromSidecar(archivePath, sidecar, ArchiveOutcome.Created, source.FullName, watch.Elapsed);
    }

    /// <summary>
    /// Protects several sources, up to <paramref name="maxParallel"/> at once, results in input
    /// order. One source's failure never stops the others. Two inputs that would write the same
    /// archive name are refused rather than raced.
    /// </summary>
    public IReadOnlyList<ProtectResult> ProtectMany(IReadOnlyList<string> sourcePaths, int maxParallel, bool dryRun = false,
        Action<ProtectResult>? completed = null, CancellationToken cancellationToken = default)
    {
        var results = new ProtectResult[sourcePaths.Count];
        var firstByArchive = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sourcePaths.Count; i++)
        {
            var name = ArchiveNaming.ArchiveName(Path.GetFileName(sourcePaths[i]), _options.Format);
            if (!firstByArchive.TryAdd(name, i))
            {
                results[i] = new ProtectResult(sourcePaths[i], null, new BinlogArchiveException("DuplicateSourceName", ErrorKind.InvalidArgument,
                    $"{sourcePaths[i]} and {sourcePaths[firstByArchive[name]]} would both be archived as {name}.", sourcePaths[i],
                    "Archive binlogs of different servers into different output directories."));
            }
        }

        Parallel.For(0, sourcePaths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallel), CancellationToken = cancellationToken }, i =>
        {
            if (results[i] is not null)
            {
                completed?.Invoke(results[i]);
                return;
            }

            try
            {
                var entry = dryRun ? Plan(sourcePaths[i]) : Protect(sourcePaths[i], cancellationToken);
                results[i] = new ProtectResult(sourcePaths[i], entry, null);
            }
            catch (BinlogArchiveException ex)
            {
                results[i] = new ProtectResult(sourcePaths[i], null, ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Writes are already named ArchiveWriteFailed; what is left is the source failing
                // mid-read (a bad disk sector, an NFS hiccup). This file failed; the others go on.
                results[i] = new ProtectResult(sourcePaths[i], null, new BinlogArchiveException("BinlogReadFailed", ErrorKind.ReadError,
                    $"{sourcePaths[i]}: reading the binlog failed: {ex.Message} Nothing was published.", sourcePaths[i],
                    "Check the disk holding the binlog (dmesg, SMART); then run protect again.", ex));
            }

            completed?.Invoke(results[i]);
        });
        return results;
    }

    /// <summary>Runs a step that writes the output, turning a file-system failure into a named error.</summary>
    private static T Output<T>(string archivePath, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BinlogArchiveException("ArchiveWriteFailed", ErrorKind.WriteError,
                $"Cannot write {archivePath} or its sidecar: {ex.Message} The archive was not completed.", archivePath,
                "Check that the output directory exists, is writable by this user and has free space; then run protect again.", ex);
        }
    }

    private (FileInfo Source, string ArchivePath) Resolve(string sourcePath)
    {
        var source = new FileInfo(Path.GetFullPath(sourcePath));
        if (!source.Exists)
        {
            throw new BinlogArchiveException("BinlogNotFound", ErrorKind.ObjectNotFound,
                $"Source binlog '{source.FullName}' does not exist.", source.FullName,
                "Check the path; list closed binlogs with `binlog-archive closed` / Get-ClosedBinlog.");
        }

        var archivePath = Path.Combine(Path.GetFullPath(_options.OutputDirectory), ArchiveNaming.ArchiveName(source.Name, _options.Format));
        if (string.Equals(Path.GetDirectoryName(archivePath), source.DirectoryName, StringComparison.Ordinal))
        {
            // Archiving into the binlog directory would let the server's PURGE/expire logic and
            // our files meet; keep them apart.
            throw new BinlogArchiveException("OutputIsBinlogDirectory", ErrorKind.InvalidArgument,
                $"The output directory is the binlog directory '{source.DirectoryName}'.", source.DirectoryName,
                "Choose a separate output directory for archives.");
        }

        return (source, archivePath);
    }

    /// <summary>
    /// An existing sidecar means a complete archive. Same source content and a valid archive:
    /// report it. Different content: refuse unless forced. A damaged archive of the same source
    /// is ours to replace. No sidecar: any archive there is a leftover of an interrupted run.
    /// </summary>
    private BinlogArchiveEntry? CheckExisting(FileInfo source, string archivePath)
    {
        var sidecarPath = Sidecar.PathFor(archivePath);
        if (!File.Exists(sidecarPath) || !File.Exists(archivePath))
        {
            return null;
        }

        var sidecar = Sidecar.Load(sidecarPath);
        var sameContent = sidecar.Source.Size == source.Length && sidecar.Source.Sha256 == SourceSha256(source.FullName);
        if (!sameContent)
        {
            if (_options.Force)
            {
                return null;
            }

            throw new BinlogArchiveException("ArchiveConflict", ErrorKind.ResourceExists,
                $"{archivePath} already holds a different binlog named {source.Name} (sha256 {sidecar.Source.Sha256[..12]}…, " +
                $"{sidecar.Source.Size} bytes; the source now has {source.Length} bytes). Nothing was overwritten.",
                archivePath,
                "If the server's numbering restarted (RESET MASTER, a new server), archive into another directory or " +
                "server name; to replace the archive on purpose, use --force / -Force.");
        }

        var verdict = new ArchiveVerifier(_keys).Verify(archivePath);
        if (verdict.Valid)
        {
            return BinlogArchiveEntry.FromSidecar(archivePath, sidecar, ArchiveOutcome.AlreadyArchived, source.FullName) with { Verified = true };
        }

        if (verdict.ErrorId == "BlarWrongKey")
        {
            // Written under a key we no longer hold (a rotation): not damage. Keep it, and check
            // what can be checked without that key, rather than re-encrypting over it.
            var keyless = new ArchiveVerifier(null).Verify(archivePath);
            if (keyless.Valid)
            {
                return BinlogArchiveEntry.FromSidecar(archivePath, sidecar, ArchiveOutcome.AlreadyArchived, source.FullName)
                    with { NotChecked = keyless.NotChecked };
            }
        }

        return null;
    }

    private static FileStream OpenSource(string path)
    {
        try
        {
            // Read-only, sharing write and delete: the server keeps its own handles and may purge.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new BinlogArchiveException("BinlogUnreadable", ErrorKind.PermissionDenied,
                $"Cannot read source binlog '{path}': {ex.Message}", path,
                "Run as a user that can read the server's binlog directory (e.g. in the mysql group).", ex);
        }
    }

    private static (long Length, DateTime Modified) Snapshot(FileInfo source)
    {
        source.Refresh();
        return (source.Length, source.LastWriteTimeUtc);
    }

    private static void EnsureUnchanged(string path, (long Length, DateTime Modified) before, long bytesRead)
    {
        var after = Snapshot(new FileInfo(path));
        if (after != before || bytesRead != before.Length)
        {
            throw new BinlogArchiveException("SourceChangedDuringRead", ErrorKind.InvalidData,
                $"{path} changed while it was being archived ({before.Length} -> {after.Length} bytes, read {bytesRead}): " +
                "it is not closed. Nothing was published.", path,
                "Archive only closed binlogs (binlog-archive closed / Get-ClosedBinlog).");
        }
    }

    private void EnsureReadable(string path, BinlogFileSummary summary)
    {
        if (summary.IsValid || _options.AllowDamagedSource)
        {
            return;
        }

        var issue = summary.Errors[0];
        throw new BinlogArchiveException("SourceBinlogDamaged", ErrorKind.InvalidData,
            $"{path}: {issue.Message} (at byte offset {issue.Offset}). Nothing was published.", path,
            "Check the file with `binlog-archive inspect`; to keep it as it is anyway, use --allow-damaged / -AllowDamagedSource.");
    }

    /// <summary>SHA-256 (lower-case hex) of a source binlog, read-only, with read failures named.</summary>
    internal static string SourceSha256(string path)
    {
        using var stream = OpenSource(path);
        return Hex.Lower(SHA256.HashData(stream));
    }
}

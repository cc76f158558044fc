using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Storage.FileSystem;

/// <summary>
/// The default, embedded store: a directory tree. Every object is published by temp + fsync +
/// rename (<see cref="AtomicFile"/>), so a reader sees the old or the new file, never a torn one.
/// Conditional puts run under a per-object flock, so two writers (threads or processes) doing
/// read-modify-write on the same object serialise and the loser gets a precondition failure.
/// </summary>
internal sealed class FileSystemArchiveStore : IArchiveStore
{
    /// <summary>
    /// Up to this size the ETag is the content's SHA-256: exact, which optimistic concurrency on
    /// catalogs needs (mtime granularity is a kernel tick, so size+mtime can repeat). Above it,
    /// hashing on every HEAD would cost a full read, so size+mtime stands in.
    /// </summary>
    internal const long ContentETagLimit = 8L << 20;

    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly string _root;

    public FileSystemArchiveStore(string root, string uri)
    {
        _root = Path.GetFullPath(root);
        Uri = uri;
    }

    public string Uri { get; }

    public string UriFor(string key) => Path.Combine(_root, key);

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        return Task.FromResult(Wrap(key, () => File.Exists(path) ? Describe(key, path) : null));
    }

    public async Task<StoredObject> PutFileAsync(string key, string localPath, PutOptions options, CancellationToken cancellationToken = default)
    {
        await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await PutAsync(key, source, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredObject> PutBytesAsync(string key, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        await using var source = new MemoryStream(content.ToArray(), writable: false);
        return await PutAsync(key, source, options, cancellationToken).ConfigureAwait(false);
    }

    public Task<OpenedObject?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        return Task.FromResult(Wrap<OpenedObject?>(key, () =>
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            // Describe the opened handle, not the path: a rename after open must not pair new
            // metadata with old bytes.
            var size = stream.Length;
            var mtime = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
            string etag;
            Stream content;
            if (size <= ContentETagLimit)
            {
                var bytes = new byte[size];
                stream.ReadExactly(bytes);
                stream.Dispose();
                etag = ContentETag(SHA256.HashData(bytes));
                content = new MemoryStream(bytes, writable: false);
            }
            else
            {
                etag = SizeTimeETag(size, mtime);
                content = stream;
            }

            var start = Math.Clamp(offset, 0, size);
            content.Position = start;
            var info = new StoredObject(key, size, etag, new DateTimeOffset(mtime, TimeSpan.Zero), size <= ContentETagLimit ? etag[1..^1] : null);
            return new OpenedObject(info, new BoundedReadStream(content, Math.Min(length ?? long.MaxValue, size - start)));
        }));
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        // Walk only the deepest directory the prefix names completely.
        var slash = prefix.LastIndexOf('/');
        var dirKey = slash < 0 ? "" : prefix[..slash];
        var start = dirKey.Length == 0 ? _root : Path.Combine(_root, dirKey);
        if (!Directory.Exists(start))
        {
            if (!Directory.Exists(_root))
            {
                throw Missing();
            }

            yield break;
        }

        var keys = new List<string>();
        Wrap(prefix, () =>
        {
            foreach (var file in Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
                // Dot-files are ours (temp files, locks): never objects.
                if (key.Split('/').Any(s => s.StartsWith('.')) || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                keys.Add(key);
            }

            return 0;
        });
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = Wrap(key, () => File.Exists(PathOf(key)) ? Describe(key, PathOf(key)) : null);
            if (info is not null)
            {
                yield return info;
            }
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Wrap(key, () =>
        {
            File.Delete(path);
            return 0;
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        // The root may not exist yet (the first send creates it); its nearest existing ancestor
        // must be a directory.
        var dir = _root;
        while (!Directory.Exists(dir))
        {
            if (File.Exists(dir))
            {
                throw new BinlogArchiveException("StoreNotDirectory", ErrorKind.InvalidArgument,
                    $"{Uri}: {dir} is a file, not a directory.", Uri, "Choose a directory as the destination.");
            }

            dir = Path.GetDirectoryName(dir) ?? throw Missing();
        }

        IReadOnlyList<string> notChecked = ["write permission (checked only by writing)"];
        return Task.FromResult(notChecked);
    }

    public void Dispose()
    {
    }

    private async Task<StoredObject> PutAsync(string key, Stream source, PutOptions options, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var dir = Path.GetDirectoryName(path)!;
        Wrap(key, () => Directory.CreateDirectory(dir));
        AdvisoryLock? held = null;
        try
        {
            if (!options.Condition.IsNone)
            {
                held = AdvisoryLock.Acquire(Path.Combine(dir, "." + Path.GetFileName(path) + ".lock"), LockTimeout, cancellationToken);
            }

            using var file = Wrap(key, () => AtomicFile.Create(path));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await file.Stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }

            var sha = Hex.Lower(hash.GetHashAndReset());
            if (options.Sha256 is { } expected && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new BinlogArchiveException("StoreContentMismatch", ErrorKind.InvalidData,
                    $"{UriFor(key)}: the bytes read while uploading hash to {sha}, not the expected {expected}: the source changed during the upload.",
                    UriFor(key), "Check the local file and send it again.");
            }

            CheckCondition(key, path, options.Condition);
            Wrap(key, () =>
            {
                try
                {
                    file.Commit(overwrite: !options.Condition.IfNoneExistsSet);
                }
                catch (IOException ex) when (options.Condition.IfNoneExistsSet && File.Exists(path))
                {
                    throw new StorePreconditionFailedException(UriFor(key), options.Condition, ex);
                }

                return 0;
            });
            return Describe(key, path);
        }
        finally
        {
            held?.Dispose();
        }
    }

    private void CheckCondition(string key, string path, PutCondition condition)
    {
        if (condition.IfNoneExistsSet && File.Exists(path))
        {
            throw new StorePreconditionFailedException(UriFor(key), condition);
        }

        if (condition.IfMatchETag is { } etag)
        {
            var current = File.Exists(path) ? Describe(key, path) : null;
            if (current is null || current.ETag != etag)
            {
                throw new StorePreconditionFailedException(UriFor(key), condition);
            }
        }
    }

    private StoredObject Describe(string key, string path)
    {
        var info = new FileInfo(path);
        string etag;
        string? sha = null;
        if (info.Length <= ContentETagLimit)
        {
            var digest = SHA256.HashData(File.ReadAllBytes(path));
            etag = ContentETag(digest);
            sha = Hex.Lower(digest);
        }
        else
        {
            etag = SizeTimeETag(info.Length, info.LastWriteTimeUtc);
        }

        return new StoredObject(key, info.Length, etag, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), sha);
    }

    private static string ContentETag(byte[] digest) => "\"" + Hex.Lower(digest) + "\"";

    private static string SizeTimeETag(long size, DateTime mtimeUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{size:x}-{mtimeUtc.Ticks:x}\"");

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private BinlogArchiveException Missing() =>
        new("StoreNotFound", ErrorKind.ObjectNotFound, $"{Uri}: the directory {_root} does not exist.", Uri,
            "Check the path, or create the directory.");

    private T Wrap<T>(string key, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BinlogArchiveException("StoreAccessDenied", ErrorKind.PermissionDenied,
                $"{UriFor(key)}: permission denied: {ex.Message}", UriFor(key), "Give this user write access to the destination directory.", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new BinlogArchiveException("StoreIoError", ErrorKind.WriteError,
                $"{UriFor(key)}: {ex.Message}", UriFor(key), "Check the destination file system (space, mount, permissions).", ex);
        }
    }
}

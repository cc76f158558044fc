namespace BinlogArchive.Core.Storage;

/// <summary>
/// An object store holding archives, sidecars and catalogs (ARCHITECTURE.md §6). Keys are
/// '/'-separated and relative to the destination URI's prefix. Implementations retry transient
/// failures themselves and throw <see cref="Errors.BinlogArchiveException"/> naming the destination
/// and the cause for everything else.
/// </summary>
public interface IArchiveStore : IDisposable
{
    /// <summary>The destination as the user wrote it, without secrets.</summary>
    string Uri { get; }

    /// <summary>A URI naming one object, for messages and outputs.</summary>
    string UriFor(string key);

    /// <summary>The object's metadata, or null when there is none under <paramref name="key"/>.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads a local file (read by position, so it must not change meanwhile). Large files go in
    /// parts and resume after a crash or a lost connection from the last confirmed part.
    /// </summary>
    Task<StoredObject> PutFileAsync(string key, string localPath, PutOptions options, CancellationToken cancellationToken = default);

    /// <summary>Uploads a small in-memory object (sidecars, catalogs) in one request.</summary>
    Task<StoredObject> PutBytesAsync(string key, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default);

    /// <summary>Opens <paramref name="length"/> bytes (all when null) from <paramref name="offset"/>; null when the object does not exist.</summary>
    Task<OpenedObject?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; absent objects are not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Proves without writing that the destination is reachable, exists and accepts our
    /// credentials; returns what could not be proven that way (e.g. write permission).
    /// </summary>
    Task<IReadOnlyList<string>> CheckAccessAsync(CancellationToken cancellationToken = default);
}

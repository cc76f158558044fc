namespace BinlogArchive.Core.Storage;

/// <summary>Reads of small objects, or small ranges, into memory (catalogs, sidecars, archive headers).</summary>
public static class ArchiveStoreReads
{
    /// <summary>
    /// The object's bytes (or <paramref name="length"/> bytes from <paramref name="offset"/>) and the
    /// metadata of that very version; null when it does not exist.
    /// </summary>
    public static async Task<(byte[] Content, StoredObject Info)?> ReadAllAsync(this IArchiveStore store, string key,
        long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var opened = await store.OpenReadAsync(key, offset, length, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return null;
        }

        await using (opened.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await opened.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return (buffer.ToArray(), opened.Info);
        }
    }
}

using BinlogArchive.Core.Storage.AzureBlob;
using BinlogArchive.Core.Storage.FileSystem;
using BinlogArchive.Core.Storage.S3;

namespace BinlogArchive.Core.Storage;

/// <summary>Turns a destination URI into a store. Credentials come from the environment only (ARCHITECTURE.md §8).</summary>
public static class ArchiveStoreFactory
{
    /// <exception cref="Errors.BinlogArchiveException">ErrorKind.InvalidArgument for a malformed URI.</exception>
    public static IArchiveStore Open(string uri, StoreOptions? options = null) => Open(StoreLocation.Parse(uri), options);

    public static IArchiveStore Open(StoreLocation location, StoreOptions? options = null)
    {
        options ??= StoreOptions.Default;
        return location.Kind switch
        {
            StoreKind.FileSystem => new FileSystemArchiveStore(location.Path!, location.Original),
            StoreKind.S3 => S3ArchiveStore.Create(location, options),
            StoreKind.AzureBlob => AzureBlobArchiveStore.Create(location, options),
            _ => throw new ArgumentOutOfRangeException(nameof(location)),
        };
    }
}

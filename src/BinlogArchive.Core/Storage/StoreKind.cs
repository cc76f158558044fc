namespace BinlogArchive.Core.Storage;

public enum StoreKind
{
    FileSystem,
    S3,
    AzureBlob,
}

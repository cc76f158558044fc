namespace BinlogArchive.Tests.Integration.Storage;

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "Storage";
}

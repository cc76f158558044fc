using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Tests.Unit.Storage;

public sealed class StoreLocationTests
{
    [Fact]
    public void PlainPathAndFileUriAreFilesystem()
    {
        Assert.Equal(StoreKind.FileSystem, StoreLocation.Parse("/var/backups/x").Kind);
        Assert.Equal("/var/backups/x", StoreLocation.Parse("file:///var/backups/x").Path);
        Assert.Equal(Path.GetFullPath("rel/dir"), StoreLocation.Parse("rel/dir").Path);
    }

    [Fact]
    public void S3UriWithQueryParameters()
    {
        var l = StoreLocation.Parse("s3://backups/prod/db-1/?endpoint=http://127.0.0.1:9000&region=eu-west-1&path_style=true");
        Assert.Equal(StoreKind.S3, l.Kind);
        Assert.Equal("backups", l.Container);
        Assert.Equal("prod/db-1", l.Prefix);
        Assert.Equal(new Uri("http://127.0.0.1:9000"), l.Endpoint);
        Assert.Equal("eu-west-1", l.Region);
        Assert.True(l.PathStyle);
    }

    [Fact]
    public void AzureForms()
    {
        var a = StoreLocation.Parse("azblob://acct/binlogs/prod?endpoint=http://127.0.0.1:10000/devstoreaccount1");
        Assert.Equal(("acct", "binlogs", "prod"), (a.Account, a.Container, a.Prefix));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", a.Endpoint!.ToString());
        var h = StoreLocation.Parse("https://acct.blob.core.windows.net/binlogs/a/b");
        Assert.Equal(("acct", "binlogs", "a/b", StoreKind.AzureBlob), (h.Account, h.Container, h.Prefix, h.Kind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://host/x")]
    [InlineData("s3://")]
    [InlineData("s3://Bad_Bucket/x")]
    [InlineData("s3://bucket/x?secret_key=abc")]
    [InlineData("s3://bucket/x?path_style=maybe")]
    [InlineData("s3://bucket/x?endpoint=notaurl")]
    [InlineData("azblob://acct")]
    [InlineData("azblob://acct/container?region=x")]
    [InlineData("https://acct.blob.core.windows.net/container/p?sv=2020&sig=abc")]
    [InlineData("https://example.com/container")]
    [InlineData("file://relative/path")]
    public void BadUrisAreInvalidArgumentsNamingTheUri(string uri)
    {
        var ex = Assert.Throws<BinlogArchiveException>(() => StoreLocation.Parse(uri));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("InvalidStoreUri", ex.ErrorId);
        Assert.Contains(uri, ex.Message, StringComparison.Ordinal);
    }
}

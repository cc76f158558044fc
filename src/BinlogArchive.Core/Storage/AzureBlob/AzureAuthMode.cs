namespace BinlogArchive.Core.Storage.AzureBlob;

internal enum AzureAuthMode
{
    SharedKey,
    Sas,
    EntraId,
}

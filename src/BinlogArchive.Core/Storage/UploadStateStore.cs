using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BinlogArchive.Core.IO;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Core.Storage;

/// <summary>
/// Persists multipart-upload progress under the state directory so a rerun after a crash or a
/// lost connection resumes from the last confirmed part. Every save is atomic (temp + fsync +
/// rename): a crash mid-save leaves the previous, still-true state.
/// </summary>
internal sealed class UploadStateStore
{
    private readonly string _directory;

    public UploadStateStore(string stateDirectory)
    {
        _directory = Path.Combine(stateDirectory, "uploads");
    }

    public string PathFor(string destinationUri, string key) =>
        Path.Combine(_directory, Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(destinationUri + "\n" + key)))[..32] + ".json");

    public MultipartUploadState? Load(string destinationUri, string key)
    {
        var path = PathFor(destinationUri, key);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ArchiveJson.Indented.MultipartUploadState);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A state file we cannot read is as good as none: the upload restarts, nothing is lost.
            return null;
        }
    }

    public void Save(string destinationUri, string key, MultipartUploadState state)
    {
        Directory.CreateDirectory(_directory);
        using var file = AtomicFile.Create(PathFor(destinationUri, key));
        file.Stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(state, ArchiveJson.Indented.MultipartUploadState)));
        file.Commit(overwrite: true);
    }

    public void Delete(string destinationUri, string key)
    {
        try
        {
            File.Delete(PathFor(destinationUri, key));
        }
        catch (IOException)
        {
        }
    }
}

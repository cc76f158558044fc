using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// Shared moves of the protect/verify acceptance tests: the CLI run as a user runs it (a separate
/// process), fast settings (level 3, 4 KiB chunks, one worker), the committed MariaDB fixtures,
/// and independent ways to open an archive (BlarReader, the real zstd/openssl CLIs).
/// </summary>
internal static class ArchiveKit
{
    public const string Suffix = ".zst.enc";

    /// <summary>Fast settings: small chunks so even the fixtures span many chunks; low level.</summary>
    public static readonly string[] FastOptions = ["--level", "3", "--workers", "1", "--chunk-size", "4096"];

    public static string FixtureDir => Path.Combine(RepoPaths.TestFixtures, "mariadb");

    public static string Fixture(string name) => Path.Combine(FixtureDir, name);

    public static IReadOnlyList<string> FixtureBinlogs { get; } =
        ["mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000003", "mysql-bin.000004", "mysql-bin.000005"];

    /// <summary>Copies fixtures into a private "binlog directory" (so tests may damage or rename them).</summary>
    public static string CopyFixtures(TempDirectory tmp, string dirName = "binlogs", params string[] names)
    {
        var dir = tmp.Combine(dirName);
        Directory.CreateDirectory(dir);
        foreach (var name in names.Length == 0 ? FixtureBinlogs : names)
        {
            File.Copy(Fixture(name), Path.Combine(dir, name), overwrite: true);
        }

        return dir;
    }

    /// <summary>A new key file made by `binlog-archive keygen` (mode 0600).</summary>
    public static string NewKey(TempDirectory tmp, string name = "master.key")
    {
        var path = tmp.Combine(name);
        var r = CliRunner.Run("keygen", "--out", path);
        Assert.True(r.ExitCode == 0, $"keygen failed: {r.StdErr}");
        return path;
    }

    public static MasterKey LoadKey(string keyFile) => KeyFile.Load(keyFile);

    public static CliRunner.Result Cli(params string[] args) => CliRunner.Run(args, env: null);

    /// <summary>`protect` with the fast settings; extra options go before the files.</summary>
    public static CliRunner.Result Protect(string keyFile, string outputDir, IEnumerable<string> files, params string[] extra) =>
        CliRunner.Run(["protect", "--key-file", keyFile, "--output-dir", outputDir, .. FastOptions, .. extra, .. files], env: null);

    public static CliRunner.Result Verify(string? keyFile, params string[] archives) =>
        CliRunner.Run(["verify", .. keyFile is null ? Array.Empty<string>() : ["--key-file", keyFile], "--json", .. archives], env: null);

    public static string ArchiveFor(string outputDir, string binlogName) => Path.Combine(outputDir, binlogName + Suffix);

    public static string SidecarFor(string archive) => archive + ".json";

    /// <summary>The one verify result of `verify --json` for a single archive.</summary>
    public static JsonElement SingleVerdict(CliRunner.Result r)
    {
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal(1, doc.RootElement.GetArrayLength());
        return doc.RootElement[0].Clone();
    }

    /// <summary>Asserts `verify --json` failed with <paramref name="errorId"/>, on stderr and in the JSON result.</summary>
    public static JsonElement AssertVerifyFails(CliRunner.Result r, string errorId)
    {
        Assert.True(r.ExitCode == 1, $"verify should exit 1, got {r.ExitCode}\nstdout: {r.StdOut}\nstderr: {r.StdErr}");
        var verdict = SingleVerdict(r);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        Assert.Equal(errorId, verdict.GetProperty("error_id").GetString());
        Assert.Contains($"error [{errorId}]", r.StdErr, StringComparison.Ordinal);
        return verdict;
    }

    public static JsonElement AssertVerifyPasses(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, $"verify should exit 0, got {r.ExitCode}\nstdout: {r.StdOut}\nstderr: {r.StdErr}");
        var verdict = SingleVerdict(r);
        Assert.True(verdict.GetProperty("valid").GetBoolean());
        return verdict;
    }

    public static void AssertExit(int expected, CliRunner.Result r) =>
        Assert.True(r.ExitCode == expected, $"expected exit {expected}, got {r.ExitCode}\nstdout: {r.StdOut}\nstderr: {r.StdErr}");

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    /// <summary>The zstd stream inside a BLAR1 archive (decrypted, still compressed).</summary>
    public static byte[] DecryptBlar(string archive, KeyRing keys)
    {
        using var file = File.OpenRead(archive);
        using var blar = new BlarReader(file, keys, leaveOpen: true, target: archive);
        using var plain = new MemoryStream();
        blar.CopyTo(plain);
        blar.VerifyToEnd();
        return plain.ToArray();
    }

    public static byte[] Decompress(byte[] zstdStream)
    {
        using var input = new MemoryStream(zstdStream);
        using var zstd = new ZstdDecompressStream(input);
        using var output = new MemoryStream();
        zstd.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Runs a tool with binary stdin and stdout (the real zstd/openssl CLIs).</summary>
    public static (int ExitCode, byte[] StdOut, string StdErr) Pipe(string tool, IEnumerable<string> args, byte[]? stdin = null)
    {
        var psi = new ProcessStartInfo(ToolProcess.Find(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + tool);
        using var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill();
            throw new TimeoutException(tool + " did not finish");
        }

        copy.GetAwaiter().GetResult();
        return (p.ExitCode, stdout.ToArray(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a shell pipeline (for the legacy `zstd | openssl` archives operators already have).</summary>
    public static void Shell(string script)
    {
        var r = ToolProcess.Run("/bin/bash", ["-euo", "pipefail", "-c", script]);
        Assert.True(r.ExitCode == 0, $"shell failed: {script}\n{r.StandardError}");
    }

    /// <summary>Inode, size and nanosecond mtime: changes if a file is rewritten or replaced by a rename.</summary>
    public static string Identity(string path)
    {
        var r = ToolProcess.Run("stat", ["-c", "%i %s %y", path]);
        Assert.Equal(0, r.ExitCode);
        return r.StandardOutput.Trim();
    }

    /// <summary>Every file in a directory (hidden ones too) with its identity, for "nothing was written" checks.</summary>
    public static SortedDictionary<string, string> Listing(string dir)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(dir))
        {
            return result;
        }

        foreach (var f in Directory.EnumerateFileSystemEntries(dir))
        {
            result[Path.GetFileName(f)] = Identity(f) + " " + (File.Exists(f) ? Sha256(f) : "dir");
        }

        return result;
    }

    /// <summary>Flips one bit of a file in place.</summary>
    public static void FlipBit(string path, long offset, int bit = 0)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        var b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ (1 << bit)));
    }
}

using System.Diagnostics;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Crypto;
using Xunit.Abstractions;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// `protect` killed with SIGKILL at random moments (ARCHITECTURE.md §3: complete only after
/// fsync + rename, sidecar renamed last). After each kill: every visible sidecar has a complete,
/// valid archive; every visible archive is whole; nothing else is visible; the sources are
/// untouched; and a rerun finishes the job and removes the hidden leftovers.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Trials = 24;

    // 000004 (2 MiB) at a slow level dominates the run; the small files around it put commits
    // (archive rename, sidecar rename) at several moments, including near the end.
    private static readonly string[] Order = ["mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000004", "mysql-bin.000003", "mysql-bin.000005"];

    private static readonly string[] SlowOptions = ["--level", "17", "--workers", "1", "--chunk-size", "4096"];

    [Fact]
    public async Task Protect_killed_at_random_moments_leaves_no_visible_incomplete_output_and_a_rerun_finishes()
    {
        using var tmp = new TempDirectory("crash");
        var key = ArchiveKit.NewKey(tmp);
        using var master = ArchiveKit.LoadKey(key);
        var ring = new KeyRing(master);
        var binlogDir = ArchiveKit.CopyFixtures(tmp, "binlogs", Order);
        var sources = Order.Select(n => Path.Combine(binlogDir, n)).ToArray();
        var sourceHashes = Order.ToDictionary(n => n, n => ArchiveKit.Sha256(Path.Combine(binlogDir, n)));

        // A stale, valid pair for 000001 holding other content (a previous server's 000001),
        // which half of the trials replace with --force.
        var staleDir = tmp.Combine("stale");
        var impostor = ArchiveKit.CopyFixtures(tmp, "impostor", "mysql-bin.000003");
        File.Move(Path.Combine(impostor, "mysql-bin.000003"), Path.Combine(impostor, Order[0]));
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, staleDir, [Path.Combine(impostor, Order[0])]));
        var staleHash = ArchiveKit.Sha256(Path.Combine(impostor, Order[0]));

        // How long an uninterrupted run takes here (CLI start included), to spread the kills over it.
        // The first run pays for cold caches, so the faster of two is the estimate.
        var full = TimeSpan.MaxValue;
        for (var i = 0; i < 2; i++)
        {
            var calibration = Stopwatch.StartNew();
            ArchiveKit.AssertExit(0, CliRunner.Run(["protect", "--key-file", key, "--output-dir", tmp.Combine($"calibration-{i}"), .. SlowOptions, .. sources], env: null));
            full = calibration.Elapsed < full ? calibration.Elapsed : full;
        }

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}; an uninterrupted run takes {full.TotalMilliseconds:F0} ms");
        var states = new Dictionary<string, int>();
        var total = Stopwatch.StartNew();
        for (var trial = 0; trial < Trials; trial++)
        {
            var force = trial % 2 == 1;
            var outDir = tmp.Combine($"out-{trial:D2}");
            Directory.CreateDirectory(outDir);
            if (force)
            {
                foreach (var f in Directory.EnumerateFiles(staleDir))
                {
                    File.Copy(f, Path.Combine(outDir, Path.GetFileName(f)));
                }
            }

            // A quarter of the kills at a random time anywhere in the run; the rest when the output
            // directory shows a chosen stage (so they hit it even when a loaded machine runs slower
            // than the calibration): the first temp file appears, the big file's temp file appears
            // (then a random delay), or the big file's archive is renamed into place (the window
            // before its sidecar's rename).
            var kind = trial % 4;
            var delay = TimeSpan.FromMilliseconds(full.TotalMilliseconds * random.NextDouble() * (kind == 0 ? 1.1 : 0.5));
            var trigger = kind switch
            {
                0 => null,
                1 => ".mysql-bin.000001.zst.enc.",
                2 => ".mysql-bin.000004.zst.enc.",
                _ => "mysql-bin.000004.zst.enc",
            };
            string[] args = ["protect", "--key-file", key, "--output-dir", outDir, .. SlowOptions, .. force ? ["--force"] : Array.Empty<string>(), .. sources];
            var context = $"trial {trial} (seed {seed}, kind {kind}, delay {delay.TotalMilliseconds:F0} ms, force {force})";

            using (var p = CliRunner.Start(args))
            {
                var drainOut = p.StandardOutput.ReadToEndAsync();
                var drainErr = p.StandardError.ReadToEndAsync();
                var exited = trigger switch
                {
                    null => p.WaitForExit(delay),
                    ".mysql-bin.000004.zst.enc." => WaitFor(p, outDir, trigger) || p.WaitForExit(delay),
                    _ => WaitFor(p, outDir, trigger),
                };
                if (!exited)
                {
                    p.Kill(); // SIGKILL: no finally blocks, no Dispose, no cleanup.
                }

                Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), context);
                await drainOut;
                var stderr = await drainErr;
                if (exited)
                {
                    Assert.True(p.ExitCode == 0, $"{context}: exit {p.ExitCode}: {stderr}");
                }
            }

            var state = AssertNothingIncompleteIsVisible(outDir, ring, sourceHashes, force ? staleHash : null, context);
            states[state] = states.GetValueOrDefault(state) + 1;

            // The rerun (fast settings) completes the work and removes the dead writer's temp files.
            var rerun = ArchiveKit.Protect(key, outDir, sources, [.. force ? ["--force"] : Array.Empty<string>(), "--json"]);
            Assert.True(rerun.ExitCode == 0, $"{context}: rerun exit {rerun.ExitCode}: {rerun.StdErr}");
            var names = Directory.EnumerateFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var expected = Order.SelectMany(n => new[] { n + ArchiveKit.Suffix, n + ArchiveKit.Suffix + ".json" }).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(names), $"{context}: after the rerun the directory holds {string.Join(", ", names)}");
            foreach (var name in Order)
            {
                var archive = ArchiveKit.ArchiveFor(outDir, name);
                var verdict = new ArchiveVerifier(ring).Verify(archive);
                Assert.True(verdict.Valid, $"{context}: {name} after the rerun: {verdict.ErrorId} {verdict.Error}");
                Assert.Equal(sourceHashes[name], verdict.Sidecar!.Source.Sha256);
            }

            if (trial % 6 == 5)
            {
                var cli = ArchiveKit.Cli(["verify", "--key-file", key, .. Order.Select(n => ArchiveKit.ArchiveFor(outDir, n))]);
                Assert.True(cli.ExitCode == 0, $"{context}: verify after the rerun: {cli.StdErr}");
            }

            Directory.Delete(outDir, recursive: true);
        }

        output.WriteLine($"{Trials} trials in {total.Elapsed.TotalSeconds:F1} s; states seen after the kill: " +
            string.Join(", ", states.Select(kv => $"{kv.Key}: {kv.Value}")));
        foreach (var (name, hash) in sourceHashes)
        {
            Assert.Equal(hash, ArchiveKit.Sha256(Path.Combine(binlogDir, name)));
        }

        // The trials must have hit the run at different stages, or they prove little.
        Assert.True(states.Count >= 3, "kills landed in too few distinct stages: " + string.Join(", ", states.Keys));
    }

    /// <summary>Polls the directory until a file whose name starts with <paramref name="prefix"/> appears; true if the CLI exited first.</summary>
    private static bool WaitFor(Process p, string dir, string prefix)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                if (Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (p.HasExited)
            {
                return true;
            }
        }

        return p.HasExited;
    }

    /// <summary>
    /// The invariant after a kill. Returns a short description of the state (how many pairs,
    /// lone archives and temp files) so the test can show the kills landed at different stages.
    /// </summary>
    private static string AssertNothingIncompleteIsVisible(string outDir, KeyRing ring, Dictionary<string, string> sourceHashes,
        string? staleHash, string context)
    {
        int pairs = 0, lone = 0, temps = 0;
        foreach (var path in Directory.EnumerateFiles(outDir))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                Assert.True(name.EndsWith(".partial", StringComparison.Ordinal), $"{context}: unexpected hidden file {name}");
                temps++;
                continue;
            }

            if (name.EndsWith(".json", StringComparison.Ordinal))
            {
                // A visible sidecar: its archive is there, complete and valid.
                var archive = path[..^".json".Length];
                var verdict = new ArchiveVerifier(ring).Verify(archive);
                Assert.True(verdict.Valid, $"{context}: {name} is visible but its archive is not valid: {verdict.ErrorId} {verdict.Error}");
                var sha = verdict.Sidecar!.Source.Sha256;
                var binlog = ArchiveNaming.SourceNameOf(Path.GetFileName(archive))!;
                Assert.True(sha == sourceHashes[binlog] || sha == staleHash, $"{context}: {name} describes unknown content");
                pairs++;
                continue;
            }

            Assert.True(name.EndsWith(ArchiveKit.Suffix, StringComparison.Ordinal), $"{context}: unexpected visible file {name}");
            if (!File.Exists(path + ".json"))
            {
                // Published before its sidecar: it must already be whole (it was fsynced before the rename).
                var plain = ArchiveKit.Decompress(ArchiveKit.DecryptBlar(path, ring));
                var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(plain)).ToLowerInvariant();
                var binlog = ArchiveNaming.SourceNameOf(name)!;
                Assert.True(sha == sourceHashes[binlog] || sha == staleHash, $"{context}: lone archive {name} holds unknown content");
                lone++;
            }
        }

        return $"{pairs} pairs/{lone} lone/{(temps > 0 ? "temp" : "no temp")}";
    }
}

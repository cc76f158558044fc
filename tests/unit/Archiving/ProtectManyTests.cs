using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Tests.Unit.Archiving;

public sealed class ProtectManyTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.TestFixtures, "mariadb");

    [Fact]
    public void Protects_in_parallel_in_input_order_and_one_failure_does_not_stop_the_rest()
    {
        using var tmp = new TempDirectory();
        using var key = MasterKey.Generate();
        var protector = new BinlogProtector(new KeyRing(key), new ProtectOptions { OutputDirectory = tmp.Combine("out"), CompressionLevel = 1 });
        string[] inputs =
        [
            Path.Combine(Sample, "mysql-bin.000003"),
            Path.Combine(Sample, "mysql-bin.000001"),
            tmp.Combine("missing", "mysql-bin.000009"),
            Path.Combine(Sample, "mysql-bin.000004"),
            Path.Combine(Sample, "mysql-bin.000002"),
        ];
        var seen = 0;

        var results = protector.ProtectMany(inputs, maxParallel: 3, completed: _ => Interlocked.Increment(ref seen));

        Assert.Equal(inputs, results.Select(r => r.SourcePath));
        Assert.Equal(inputs.Length, seen);
        Assert.Equal("BinlogNotFound", results[2].Error?.ErrorId);
        var verifier = new ArchiveVerifier(new KeyRing(key));
        foreach (var r in results.Where((_, i) => i != 2))
        {
            Assert.Equal(ArchiveOutcome.Created, r.Entry!.Outcome);
            Assert.Equal(Path.GetFileName(r.SourcePath), r.Entry.SourceName);
            Assert.True(verifier.Verify(r.Entry.FullName).Valid);
        }
    }

    [Fact]
    public void Two_inputs_with_the_same_name_are_refused_not_raced()
    {
        using var tmp = new TempDirectory();
        using var key = MasterKey.Generate();
        Directory.CreateDirectory(tmp.Combine("other"));
        var twin = tmp.Combine("other", "mysql-bin.000001");
        File.Copy(Path.Combine(Sample, "mysql-bin.000002"), twin);
        var protector = new BinlogProtector(new KeyRing(key), new ProtectOptions { OutputDirectory = tmp.Combine("out"), CompressionLevel = 1 });

        var results = protector.ProtectMany([Path.Combine(Sample, "mysql-bin.000001"), twin], maxParallel: 2);

        Assert.Equal(ArchiveOutcome.Created, results[0].Entry?.Outcome);
        Assert.Equal("DuplicateSourceName", results[1].Error?.ErrorId);
        Assert.Single(Directory.GetFiles(tmp.Combine("out"), "*.zst.enc"));
    }

    [Fact]
    public void Dry_run_plans_every_file_and_writes_nothing()
    {
        using var tmp = new TempDirectory();
        using var key = MasterKey.Generate();
        var protector = new BinlogProtector(new KeyRing(key), new ProtectOptions { OutputDirectory = tmp.Combine("out") });

        var results = protector.ProtectMany(Directory.GetFiles(Sample, "mysql-bin.0*"), maxParallel: 2, dryRun: true);

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(ArchiveOutcome.WouldCreate, r.Entry?.Outcome));
        Assert.False(Directory.Exists(tmp.Combine("out")));
    }
}

using System.Globalization;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// Where a base backup's state sits in the binlog stream: a binlog file and position (the next
/// event the backup does <em>not</em> contain starts at or after <see cref="Position"/>), and/or the
/// GTID set the backup holds (gtid_executed / gtid_binlog_pos at the backup's consistent point).
/// </summary>
/// <param name="File">Binlog file name (no directory), e.g. <c>mysql-bin.000003</c>.</param>
/// <param name="Position">Byte offset in <paramref name="File"/>: replay starts here (mysqlbinlog --start-position).</param>
/// <param name="Gtids">The backup's GTID set, in the server's notation; null when unknown (GTIDs off).</param>
/// <param name="Source">Where the coordinates came from (a file path, "--from", "--from-gtid"), for messages.</param>
public sealed record BackupCoordinates(string? File, long? Position, GtidSet? Gtids, string? Source = null)
{
    /// <summary>mariadb-backup 10.11 and Percona XtraBackup write this name.</summary>
    public const string XtraBackupInfoFile = "xtrabackup_binlog_info";

    /// <summary>Newer mariadb-backup (11.x) writes this name; preferred when both exist.</summary>
    public const string MariaDbBackupInfoFile = "mariadb_backup_binlog_info";

    public bool HasPosition => File != null && Position != null;

    public bool HasGtids => Gtids is { IsEmpty: false };

    public override string ToString()
    {
        var parts = new List<string>();
        if (File != null)
        {
            parts.Add(Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"{File}:{p}") : File);
        }

        if (HasGtids)
        {
            parts.Add($"GTID set '{Gtids}'");
        }

        return parts.Count == 0 ? "(no coordinates)" : string.Join(", ", parts);
    }

    /// <summary>
    /// Reads <c>mariadb_backup_binlog_info</c> (preferred) or <c>xtrabackup_binlog_info</c> from a
    /// prepared backup directory.
    /// </summary>
    /// <exception cref="BinlogArchiveException">BackupDirectoryNotFound, BackupCoordinatesMissing, BackupCoordinatesInvalid.</exception>
    public static BackupCoordinates FromBackupDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new BinlogArchiveException("BackupDirectoryNotFound", ErrorKind.ObjectNotFound,
                $"Base backup directory '{directory}' does not exist.", directory,
                "Pass the directory of a prepared mariadb-backup / xtrabackup backup, or give the coordinates with --from FILE:POS / --from-gtid SET.");
        }

        foreach (var name in new[] { MariaDbBackupInfoFile, XtraBackupInfoFile })
        {
            var path = Path.Combine(directory, name);
            if (System.IO.File.Exists(path))
            {
                string text;
                try
                {
                    text = System.IO.File.ReadAllText(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new BinlogArchiveException("BackupCoordinatesUnreadable", ErrorKind.ReadError,
                        $"Cannot read the backup's binlog coordinates from '{path}': {ex.Message}", path,
                        "Check the file's permissions, or give the coordinates with --from FILE:POS / --from-gtid SET.", ex);
                }

                return ParseBinlogInfo(text, path);
            }
        }

        throw new BinlogArchiveException("BackupCoordinatesMissing", ErrorKind.ObjectNotFound,
            $"Base backup '{directory}' has neither {MariaDbBackupInfoFile} nor {XtraBackupInfoFile}: the backup's binlog coordinates are unknown.",
            directory,
            "Take the backup with binary logging enabled on the server (mariadb-backup/xtrabackup then write the file), or give the coordinates with --from FILE:POS / --from-gtid SET.");
    }

    /// <summary>
    /// Parses the content of <c>xtrabackup_binlog_info</c> / <c>mariadb_backup_binlog_info</c>:
    /// <c>FILE&lt;TAB&gt;POSITION[&lt;TAB&gt;GTID_SET]</c>. The GTID set may continue on following lines
    /// (MySQL prints long sets as <c>uuid:1-10,\nuuid2:1-5</c>). Fields may also be separated by spaces.
    /// </summary>
    /// <exception cref="BinlogArchiveException">BackupCoordinatesInvalid, naming the file and what is wrong.</exception>
    public static BackupCoordinates ParseBinlogInfo(string text, string sourceForErrors)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw Invalid(sourceForErrors, "the file is empty");
        }

        // First field: file name; second: position; the rest (possibly several lines): GTID set.
        var fields = trimmed.Split((char[])['\t', ' ', '\r', '\n'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            throw Invalid(sourceForErrors, $"expected 'FILE<TAB>POSITION[<TAB>GTID_SET]', found '{Shorten(trimmed)}'");
        }

        var file = fields[0];
        if (file.Contains('/') || file.Contains('\\'))
        {
            file = Path.GetFileName(file);
        }

        if (!long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position < 4)
        {
            throw Invalid(sourceForErrors, $"position '{fields[1]}' is not a binlog offset (a number of at least 4)");
        }

        GtidSet? gtids = null;
        if (fields.Length == 3)
        {
            var gtidText = string.Join("", fields[2].Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
            try
            {
                gtids = GtidSet.Parse(gtidText);
            }
            catch (FormatException ex)
            {
                throw Invalid(sourceForErrors, $"the GTID set is malformed: {ex.Message}");
            }
        }

        return new BackupCoordinates(file, position, gtids is { IsEmpty: false } ? gtids : null, sourceForErrors);
    }

    /// <summary>CLI <c>--from FILE:POS</c>.</summary>
    /// <exception cref="BinlogArchiveException">RestoreArgumentInvalid.</exception>
    public static BackupCoordinates ParseFilePosition(string text)
    {
        var (file, position) = ParseFileAndPosition(text, "--from");
        return new BackupCoordinates(file, position, null, "--from");
    }

    /// <summary>CLI <c>--from-gtid SET</c>, in either notation.</summary>
    /// <exception cref="BinlogArchiveException">RestoreArgumentInvalid.</exception>
    public static BackupCoordinates ParseGtidSet(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        GtidSet set;
        try
        {
            set = GtidSet.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                $"--from-gtid '{text}' is not a GTID set: {ex.Message}", text,
                "Give the backup's GTID set as MySQL prints it (uuid:1-10,uuid2:1-5) or MariaDB's gtid_binlog_pos (0-1-47).", ex);
        }

        if (set.IsEmpty)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                "--from-gtid is empty: a backup with an empty GTID set is best given as --from FILE:POS.", text,
                "Give the backup's binlog file and position with --from FILE:POS.");
        }

        return new BackupCoordinates(null, null, set, "--from-gtid");
    }

    /// <summary>These coordinates with the GTID set of <paramref name="other"/> added (e.g. --from plus --from-gtid).</summary>
    public BackupCoordinates With(GtidSet? gtids) => this with { Gtids = gtids is { IsEmpty: false } ? gtids : Gtids };

    /// <summary>Parses <c>FILE:POS</c> (the position after the last ':'), as --from and --stop-position take it.</summary>
    internal static (string File, long Position) ParseFileAndPosition(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            || position < 4)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                $"{option} '{text}' is not FILE:POS (a binlog file name, a colon, and a byte offset of at least 4).", text,
                $"Write it like {option} mysql-bin.000042:1234 (SHOW BINARY LOG STATUS / SHOW MASTER STATUS shows both).");
        }

        return (Path.GetFileName(text[..colon].Trim()), position);
    }

    private static BinlogArchiveException Invalid(string source, string what) =>
        new("BackupCoordinatesInvalid", ErrorKind.InvalidData,
            $"Backup coordinates '{source}' are malformed: {what}.", source,
            "Check the backup was prepared by mariadb-backup/xtrabackup and the file is intact, or give the coordinates with --from FILE:POS / --from-gtid SET.");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}

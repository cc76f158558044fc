// The test suites drive Linux tools (MariaDB, zstd, openssl, flock, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

return BinlogArchive.Cli.CliApp.Run(args);

// A stand-in service for service-process.test.ts: logs a line and exits with code 3.
console.log(`started ${process.argv.slice(2).join(" ")} ${process.env.EXIT_SOON_MARK ?? ""}`);
process.exitCode = 3;

// A stand-in service for service-process.test.ts: runs until SIGTERM, then exits cleanly.
const timer = setInterval(() => {}, 1_000);
process.on("SIGTERM", () => {
  clearInterval(timer);
  console.log("stopping");
});
console.log("running");

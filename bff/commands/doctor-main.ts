import { ConfigError, loadConfig } from '../config.ts';
import { doctorReport, formatDoctorReport } from './doctor.ts';

/** `connections-panel-bff doctor`: prints the per-platform report; exit 1 when misconfigured. */
async function main(): Promise<number> {
  try {
    const { config } = await loadConfig(process.env);
    const report = doctorReport(config, new Date());
    console.log(formatDoctorReport(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `doctor failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();

import * as readline from 'node:readline/promises';
import type { Command } from 'commander';
import { terminalProgress } from '../progress-bar';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { resolveStore } from '../config';
import { addStoreOptions, loadMaintenance, requireStore } from '../context';
import { print, toJson } from '../format';
import { renderCompact, renderDoctor, renderPurge, renderRebuild } from './db-report';

type Json = { json?: boolean };

function registerDoctor(db: Command): void {
  addStoreOptions(db.command('doctor')
    .description('check runs folder and database: stuck runs, drift, missing files; exits 1 when problems remain')
    .option('--fix', "mark runs stuck in 'running' failed and sync missing snapshots")
    .option('--json', 'print the report as JSON'))
    .action(async (flags: StoreFlags & Json & { fix?: boolean }) => {
      const store = requireStore(flags);
      const report = await loadMaintenance().doctor(store.runDir, store.dbPath, { ...store, fix: flags.fix });
      print(flags.json ? toJson(report) : renderDoctor(report));
      if (!report.ok) process.exitCode = 1;
    });
}

function registerRebuild(db: Command): void {
  addStoreOptions(db.command('rebuild')
    .description('rebuild run metadata from the JSON snapshots (ingested data is kept)')
    .option('--dry-run', 'report what would be rebuilt; change nothing')
    .option('--json', 'print the report as JSON')
    .option('--log', 'off a terminal, print one progress line per synced run (stderr)'))
    .action(async (flags: StoreFlags & Json & { dryRun?: boolean; log?: boolean }) => {
      const store = resolveStore(flags);
      const onProgress = terminalProgress({ log: flags.log });
      const report = await loadMaintenance().rebuild(store.runDir, store.dbPath, { ...store, dryRun: flags.dryRun, onProgress });
      print(flags.json ? toJson(report) : renderRebuild(report));
    });
}

function registerCompact(db: Command): void {
  addStoreOptions(db.command('compact')
    .description('checkpoint, vacuum and rewrite the database file to reclaim space')
    .option('--no-rewrite', 'only CHECKPOINT and VACUUM, keep the file')
    .option('--json', 'print the report as JSON'))
    .action(async (flags: StoreFlags & Json & { rewrite: boolean }) => {
      const store = requireStore(flags);
      const report = await loadMaintenance().compact(store.dbPath, { ...store, rewrite: flags.rewrite });
      print(flags.json ? toJson(report) : renderCompact(report));
    });
}

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function registerPurge(db: Command): void {
  addStoreOptions(db.command('purge')
    .description('delete a run (and its child runs): folder, database rows, unused artifacts, ingested rows')
    .requiredOption('--run <id>', 'the run to purge')
    .option('--dry-run', 'list what would be deleted; change nothing')
    .option('--no-children', 'keep runs whose parent is this run')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the plan/report as JSON')
    .option('--log', 'off a terminal, print one progress line per deleted run folder (stderr)'))
    .action(async (flags: StoreFlags & Json & { run: string; dryRun?: boolean; children: boolean; yes?: boolean; log?: boolean }) => {
      const store = requireStore(flags);
      const { purge } = loadMaintenance();
      const options = { ...store, runId: flags.run, children: flags.children };
      if (!flags.dryRun && !flags.yes) {
        if (!process.stdin.isTTY) throw CliError.confirmationRequired(`Purging run '${flags.run}'`);
        print(renderPurge(await purge(store.runDir, store.dbPath, { ...options, dryRun: true })));
        if (!(await confirm('Delete all of this?'))) return print('Nothing deleted.');
      }
      const onProgress = terminalProgress({ log: flags.log });
      const plan = await purge(store.runDir, store.dbPath, { ...options, dryRun: flags.dryRun, onProgress });
      print(flags.json ? toJson(plan) : renderPurge(plan));
    });
}

/** `consist db doctor|rebuild|compact|purge`: maintenance of the provenance database. */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('maintain the provenance database: doctor, rebuild, compact, purge');
  registerDoctor(db);
  registerRebuild(db);
  registerCompact(db);
  registerPurge(db);
}

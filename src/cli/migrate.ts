import { Command } from 'commander';
import { databaseUrl, migrateStore, migrationStatus, openStore } from '../store/store.ts';

/** `parley migrate`: brings the store named by PARLEY_DATABASE_URL up to date, or (--check) says what is pending. */
export function command(): Command {
  return new Command('migrate')
    .description('apply pending store migrations (SQLite file or PostgreSQL, from PARLEY_DATABASE_URL); servers also do this when they start')
    .option('--check', 'only list the migrations and whether each is applied; exit 1 if any is pending')
    .action(async (opts: { check?: boolean }) => {
      const store = await openStore(databaseUrl(), { migrate: false }).catch((e: Error) => fail(e.message));
      try {
        if (opts.check) {
          const status = await migrationStatus(store);
          for (const m of status) process.stdout.write(`${m.applied ? 'applied' : 'pending'}  ${m.name}\n`);
          process.stdout.write(`${store.where}\n`);
          process.exitCode = status.some((m) => !m.applied) ? 1 : 0;
          return;
        }
        const applied = await migrateStore(store);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')} to ${store.where}\n` : `${store.where} is up to date\n`);
      } catch (e) {
        fail((e as Error).message);
      } finally {
        await store.close();
      }
    });
}

function fail(message: string): never {
  process.stderr.write(`parley migrate: ${message}\n`);
  process.exit(1);
}

import type { TestProject } from 'vitest/node'
import { startPostgresServer } from '../src/testing/postgres-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

/** Starts one throwaway PostgreSQL for the run; stops it and deletes its folder afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer()
  project.provide('postgresUrl', server.url)
  return () => server.destroy()
}

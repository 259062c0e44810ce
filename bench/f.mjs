import { flushCost, statusReads } from './dist/write-path.js'
console.log(await flushCost({ flushFacts: 10000, flushRepeats: 5 }))
console.log(JSON.stringify(await statusReads({ statusReads: 2000 })))

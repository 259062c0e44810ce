/**
 * LMDB's on-disk format as lmdb-js 3 writes it (data version 2, 64-bit page numbers), read with
 * plain byte offsets so a file can be checked before LMDB maps it. Layout from LMDB's mdb.c:
 * every page starts with a 24-byte header (pgno u64, txnid u64, pad u16, flags u16, lower u16,
 * upper u16); pages 0 and 1 hold a meta record after that header.
 */

/** The magic number at the start of every meta record. */
export const LMDB_MAGIC = 0xbeefc0de
/** The only data format version lmdb-js 3 reads. */
export const LMDB_DATA_VERSION = 2
/** Bytes of the header every page starts with. */
export const PAGE_HEADER_SIZE = 24
/** Bytes of a meta record that the checks read (up to and including its transaction id). */
export const META_SIZE = PAGE_HEADER_SIZE + 136
/** Page number of an empty tree's root. */
export const NO_PAGE = 0xffff_ffff_ffff_ffffn

/** Page type flag of a branch page (keys and child page numbers). */
export const PAGE_BRANCH = 0x01
/** Page type flag of a leaf page (keys and values). */
export const PAGE_LEAF = 0x02
/** Page type flag of the first page of a value too big for a leaf. */
export const PAGE_OVERFLOW = 0x04
/** Page type flag of pages 0 and 1. */
export const PAGE_META = 0x08
/** Page type flag of a leaf of fixed-size duplicates (with {@link PAGE_LEAF}). */
export const PAGE_LEAF2 = 0x20
const PAGE_TYPE_MASK = 0x7f

/** Node flag: the value lives on overflow pages. */
export const NODE_BIG_DATA = 0x01
/** Node flag: the value is the tree record of a named sub-database. */
export const NODE_SUB_DATABASE = 0x02
const NODE_HEADER_SIZE = 8
/** Bytes of a tree record (`MDB_db`): the data of a named sub-database's node. */
export const TREE_RECORD_SIZE = 48
/** Bytes of the overflow reference (`MDB_ovpage`) a big-data node holds. */
const OVERFLOW_REFERENCE_SIZE = 24

/** A tree (`MDB_db`): the free-page tree, the main tree or a named sub-database. */
export interface TreeRecord {
  readonly depth: number
  readonly entries: bigint
  /** Root page number, or {@link NO_PAGE} for an empty tree. */
  readonly root: bigint
}

/** The fields of a meta page the checks need. */
export interface MetaRecord {
  readonly magic: number
  readonly version: number
  readonly pageSize: number
  readonly freeTree: TreeRecord
  readonly mainTree: TreeRecord
  readonly lastPage: bigint
  readonly txnId: bigint
}

/** The header of a page. */
export interface PageHeader {
  readonly pgno: bigint
  readonly flags: number
  /** Lower bound of free space, relative to the end of the header (twice the node count). */
  readonly lower: number
  /** Upper bound of free space, relative to the end of the header. */
  readonly upper: number
  /** Overflow pages: how many pages the value spans (shares its bytes with lower/upper). */
  readonly pages: number
}

/** A node of a branch or leaf page. */
export interface PageNode {
  readonly flags: number
  readonly key: Buffer
  /** Leaf nodes: the value, or the overflow reference of a big value. Branch nodes: empty. */
  readonly data: Buffer
  /** Branch nodes: the child page. Big-data leaf nodes: the first overflow page. */
  readonly page: bigint | undefined
  /** Big-data leaf nodes: how many overflow pages hold the value. */
  readonly pages: number
}

/** Reads the meta record of meta page `page` (at least {@link META_SIZE} bytes). */
export function readMeta(page: Buffer): MetaRecord {
  const meta = PAGE_HEADER_SIZE
  return {
    magic: page.readUInt32LE(meta),
    version: page.readUInt32LE(meta + 4) & 0xffff,
    pageSize: page.readUInt32LE(meta + 24),
    freeTree: readTreeRecord(page, meta + 24),
    mainTree: readTreeRecord(page, meta + 24 + TREE_RECORD_SIZE),
    lastPage: page.readBigUInt64LE(meta + 120),
    txnId: page.readBigUInt64LE(meta + 128),
  }
}

/** Reads a tree record (`MDB_db`) at `offset`. */
export function readTreeRecord(buffer: Buffer, offset: number): TreeRecord {
  return {
    depth: buffer.readUInt16LE(offset + 6),
    entries: buffer.readBigUInt64LE(offset + 32),
    root: buffer.readBigUInt64LE(offset + 40),
  }
}

/** Reads the header of a page. */
export function readPageHeader(page: Buffer): PageHeader {
  return {
    pgno: page.readBigUInt64LE(0),
    flags: page.readUInt16LE(18),
    lower: page.readUInt16LE(20),
    upper: page.readUInt16LE(22),
    pages: page.readUInt32LE(20),
  }
}

/** The type bits of page flags (branch, leaf, overflow, meta, leaf2, sub-page). */
export function pageType(flags: number): number {
  return flags & PAGE_TYPE_MASK
}

/**
 * Reads the nodes of a branch or leaf page, checking that each lies inside the page.
 * Returns a description of the first inconsistency instead when there is one.
 */
export function readNodes(page: Buffer, header: PageHeader): PageNode[] | string {
  const branch = pageType(header.flags) === PAGE_BRANCH
  const count = header.lower / 2
  const end = page.length
  const nodes: PageNode[] = []
  for (let index = 0; index < count; index++) {
    const offset = page.readUInt16LE(PAGE_HEADER_SIZE + 2 * index) + PAGE_HEADER_SIZE
    if (offset < PAGE_HEADER_SIZE + header.upper || offset + NODE_HEADER_SIZE > end) return `node ${String(index)} lies outside its page`
    const low = page.readUInt16LE(offset)
    const high = page.readUInt16LE(offset + 2)
    const flags = page.readUInt16LE(offset + 4)
    const keySize = page.readUInt16LE(offset + 6)
    const keyEnd = offset + NODE_HEADER_SIZE + keySize
    if (keyEnd > end) return `the key of node ${String(index)} runs past its page`
    const key = page.subarray(offset + NODE_HEADER_SIZE, keyEnd)
    if (branch) {
      const child = BigInt(low) | (BigInt(high) << 16n) | (BigInt(flags) << 32n)
      nodes.push({ flags: 0, key, data: page.subarray(keyEnd, keyEnd), page: child, pages: 1 })
      continue
    }
    const big = (flags & NODE_BIG_DATA) !== 0
    const dataSize = big ? OVERFLOW_REFERENCE_SIZE : low | (high << 16)
    if (keyEnd + dataSize > end) return `the value of node ${String(index)} runs past its page`
    const data = page.subarray(keyEnd, keyEnd + dataSize)
    nodes.push(big
      ? { flags, key, data, page: data.readBigUInt64LE(0), pages: Number(data.readBigUInt64LE(16)) }
      : { flags, key, data, page: undefined, pages: 0 })
  }
  return nodes
}

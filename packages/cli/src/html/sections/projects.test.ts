import { describe, expect, it } from 'vitest'
import { projectsSection } from './projects.js'

describe('projectsSection', () => {
  it('gives each card an anchor of its own, also to projects that share a folder name', () => {
    const html = projectsSection([{ path: '/a/shop', name: 'shop', rows: [] }, { path: '/b/shop', name: 'shop', rows: [] }, { path: '/c/api', name: 'api', rows: [] }], () => '#000')
    expect([...html.matchAll(/<article class="card" id="([^"]+)">/g)].map((match) => match[1])).toEqual(['project-shop', 'project-shop-2', 'project-api'])
  })
})

/** What `merge --help` says happens to records and scores. */
export const MERGE_HELP = `
What merging does:
  Records either database has (commits, grades, bugs, journal entries, usage, projects) are kept
  once; records only the other has are added. The other database's facts are applied here as they
  were recorded there, so a commit it made with git commit --amend takes the place of the commit it
  amended, as it did there; and a commit this database has since replaced by an amend does not come
  back, even where the other database recorded it under its own fact: a grade, review or bug of it
  from there goes to the commit that replaced it here. Nothing else here is overwritten or deleted.
  Projects come with their profiles (language, framework, scope: what recommend and search compare
  a project by), so work done on another machine counts for projects like it: a project only the
  other database has comes with its profile, and one this database has without a profile gets the
  other's. A profile this database has is kept.
  A setup in both databases gets the other's scores added to its own, as if one setup had done
  both histories: commits, bugs, pushes, grades, tool calls, tokens and cost are summed, and skill
  points, experience and communication score move by as much as they moved there. The output lists
  each such setup with its counts before and after.
  Merging the same database again adds only what changed there since; scores that came from this
  database (say, merged into the other before) are never counted twice. Entries imported from the
  same legacy journal on two machines count once, whatever time zone each read it in.
  The predecessor's central database (opencode-agent-tracker) is imported whole.`

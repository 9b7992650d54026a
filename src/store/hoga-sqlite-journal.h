/* hoga-sqlite-journal.h — the journal port on SQLite: one database file per profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hoga-journal.h"

G_BEGIN_DECLS

#define HOGA_TYPE_SQLITE_JOURNAL (hoga_sqlite_journal_get_type ())
G_DECLARE_FINAL_TYPE (HogaSqliteJournal, hoga_sqlite_journal, HOGA, SQLITE_JOURNAL, GObject)

/* Opens (creating it and its folder when missing) the journal at @path, synchronously:
 * call it at start-up, before the main loop runs. A file that is not a journal, is damaged
 * or was written by a newer Hoga is refused and left exactly as it was; so is a journal
 * another process has open. A zero-length file is initialised as a new journal. */
HogaSqliteJournal *hoga_sqlite_journal_open            (const char         *path,
                                                        GError            **error);

/* $XDG_DATA_HOME/hoga/@profile/journal.sqlite */
char              *hoga_sqlite_journal_default_path    (const char         *profile);

const char        *hoga_sqlite_journal_get_path        (HogaSqliteJournal  *self);
/* The settings SQLite reports for this connection, "key=value" pairs separated by ", ",
 * e.g. "sqlite=3.40.1, schema=1, journal_mode=wal, synchronous=2, …": for the About
 * window's troubleshooting section and for the tests. */
const char        *hoga_sqlite_journal_get_debug_info  (HogaSqliteJournal  *self);
/* The newest schema version this build knows. */
int                hoga_sqlite_journal_schema_version  (void);

G_END_DECLS

/* hx-test-fixture.h — run hoga-exchange as a real process and talk to it over loopback
 *
 * The helpers speak the Kiwoom protocol with raw libsoup and json-glib, written from
 * kiwoom-protocol.md and docs/hoga-exchange.md: never with the exchange's or the client's
 * code, so a protocol mistake cannot hide in both. Every wait is bounded in time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HX_TEST_APPKEY    "hx-test-appkey"
#define HX_TEST_SECRETKEY "hx-test-secretkey"

/* Timeouts in milliseconds. */
#define HX_WAIT_READY_MS  10000
#define HX_WAIT_MS        3000
#define HX_QUIET_MS       600

/* Real codes expected in the built-in symbol list ("the ~100 real ones"). */
#define HX_CODE_A "005930"
#define HX_CODE_B "000660"

/* Exact, scripted runs: no random walk, no automatic conditions, a fixed seed, and a
 * rate limit no test reaches unless it means to. */
#define HX_SCRIPTED "--trades-per-second", "0", "--no-conditions", "--seed", "7", \
                    "--rate-limit", "1000"

/* Registers @func as a test that runs in its own subprocess, so a failed assertion fails
 * that test only and the rest of the file still runs. */
/* g_test_init() with a UTF-8 locale, so Korean text in failure messages stays readable. */
void         hx_test_init             (int          *argc,
                                       char       ***argv);
void         hx_test_add              (const char   *path,
                                       void        (*func) (void));

/* ---- the exchange process ---------------------------------------------------------- */

typedef struct {
  GSubprocess      *process;
  GDataInputStream *stdout_data;
  char             *rest_url;
  char             *ws_url;
  char             *control_url;
  SoupSession      *session;        /* synchronous REST and control calls */
  char             *token;          /* for HX_TEST_APPKEY, issued on first use */
} HxServer;

/* Starts hoga-exchange with `--rest-port 0 --ws-port 0` and the given extra arguments
 * (NULL-terminated) and waits for its ready line. */
HxServer    *hx_server_start          (const char   *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
HxServer    *hx_server_startv         (const char * const *args);
/* SIGTERM, wait, assert a clean exit (status 0), free. */
void         hx_server_stop           (HxServer     *server);
gboolean     hx_server_is_running     (HxServer     *server);

/* ---- REST -------------------------------------------------------------------------- */

typedef struct {
  guint               status;
  char               *text;         /* the body, NUL-terminated */
  gsize               length;
  JsonNode           *root;         /* NULL when the body is not JSON */
  JsonObject         *object;       /* borrowed from root; NULL unless an object */
  SoupMessageHeaders *headers;      /* response headers */
  gint64              elapsed_us;
} HxReply;

void         hx_reply_free            (HxReply      *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HxReply, hx_reply_free)

/* Any request. @headers: name, value, name, value, …, NULL (may be NULL). */
HxReply     *hx_http                  (HxServer     *server,
                                       const char   *method,
                                       const char   *path,
                                       const char * const *headers,
                                       const char   *body,
                                       gssize        length);
/* au10001 for @appkey; asserts success and returns the token. */
char        *hx_issue_token           (HxServer     *server,
                                       const char   *appkey);
/* The token of HX_TEST_APPKEY (issued on first use). */
const char  *hx_token                 (HxServer     *server);
/* A TR: POST @path with api-id, authorization (Bearer @token, or the default token when
 * NULL), content-type and optional cont-yn / next-key. */
HxReply     *hx_tr_full               (HxServer     *server,
                                       const char   *token,
                                       const char   *api_id,
                                       const char   *path,
                                       const char   *body,
                                       const char   *cont_yn,
                                       const char   *next_key);
#define hx_tr(server, api_id, path, body) \
  hx_tr_full ((server), NULL, (api_id), (path), (body), NULL, NULL)

/* POSTs a JSON command to control_url; asserts HTTP 200 and "ok":true; returns the reply
 * object (owned). */
JsonObject  *hx_control               (HxServer     *server,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Same, discarding the reply. */
void         hx_command               (HxServer     *server,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (2, 3);
HxReply     *hx_control_raw           (HxServer     *server,
                                       const char   *body);

/* ---- JSON and number helpers (fail with the caller's location) ---------------------- */

const char  *hx_str_at                (const char *file, int line, JsonObject *object,
                                       const char *member);
JsonArray   *hx_array_at              (const char *file, int line, JsonObject *object,
                                       const char *member);
JsonObject  *hx_object_at             (const char *file, int line, JsonObject *object,
                                       const char *member);
gint64       hx_num_at                (const char *file, int line, const char *text);
void         hx_assert_padded_at      (const char *file, int line, const char *text,
                                       guint width, const char *what);
void         hx_assert_return_code_at (const char *file, int line, JsonObject *object,
                                       gint64 expected);
void         hx_assert_error_at       (const char *file, int line, HxReply *reply,
                                       guint http_status, gint64 return_code,
                                       const char *bracketed);
void         hx_assert_ok_at          (const char *file, int line, HxReply *reply);

#define hx_str(o, m)             hx_str_at (__FILE__, __LINE__, (o), (m))
/* Member @m of @o must be the string @expected; the failure shows the whole object. */
#define hx_assert_member(o, m, expected) \
  hx_assert_member_at (__FILE__, __LINE__, (o), (m), (expected))
void         hx_assert_member_at      (const char *file, int line, JsonObject *object,
                                       const char *member, const char *expected);
#define hx_array(o, m)           hx_array_at (__FILE__, __LINE__, (o), (m))
#define hx_object(o, m)          hx_object_at (__FILE__, __LINE__, (o), (m))
/* Parses a Kiwoom number: optional sign (+, -, space), digits, optional decimals are
 * rejected. Returns the signed value. */
#define hx_num(s)                hx_num_at (__FILE__, __LINE__, (s))
#define hx_abs(s)                ABS (hx_num_at (__FILE__, __LINE__, (s)))
#define hx_assert_padded(s, w, what) hx_assert_padded_at (__FILE__, __LINE__, (s), (w), (what))
/* return_code must be a JSON number equal to @expected. */
#define hx_assert_return_code(o, c) hx_assert_return_code_at (__FILE__, __LINE__, (o), (c))
/* HTTP status, numeric return_code, and "[CODE:" (or "(CODE:" for RC codes) in return_msg. */
#define hx_assert_error(r, h, c, b) hx_assert_error_at (__FILE__, __LINE__, (r), (h), (c), (b))
/* HTTP 200, a JSON object, return_code 0. */
#define hx_assert_ok(r)          hx_assert_ok_at (__FILE__, __LINE__, (r))

char        *hx_json_to_string        (JsonNode     *node);
char        *hx_object_to_string      (JsonObject   *object);
/* Strips a leading 'A' and any "_XX" suffix. */
char        *hx_normalize_code        (const char   *code);
/* Member as string or NULL when absent / not a string. */
const char  *hx_opt_str               (JsonObject   *object,
                                       const char   *member);

/* ---- KRX arithmetic (independent of src/core, from kiwoom-protocol.md §9) ------------ */

gint64       hx_tick_size             (gint64        price);
gboolean     hx_on_grid               (gint64        price);
/* @price moved @n ticks (negative = down), starting from the grid price at or below. */
gint64       hx_ticks_from            (gint64        price,
                                       int           n);

/* Symbol facts via ka10001. */
typedef struct {
  gint64 base;
  gint64 upper;
  gint64 lower;
  gint64 current;
} HxSymbolInfo;
void         hx_symbol_info           (HxServer     *server,
                                       const char   *code,
                                       HxSymbolInfo *info);
/* TRUE when ka10001 knows @code. */
gboolean     hx_symbol_exists         (HxServer     *server,
                                       const char   *code);

/* KST wall clock now as YYYYMMDDHHMMSS / YYYYMMDD. */
char        *hx_kst_now_string        (const char   *format);

/* ---- main-context helpers ---------------------------------------------------------- */

typedef gboolean (*HxDoneFunc) (gpointer data);
/* Iterates the default main context until @done returns TRUE or @timeout_ms passes. */
gboolean     hx_iterate_until         (HxDoneFunc    done,
                                       gpointer      data,
                                       guint         timeout_ms);
void         hx_pump                  (guint         ms);

/* ---- WebSocket --------------------------------------------------------------------- */

typedef struct {
  guint64     serial;
  gboolean    binary;
  char       *text;
  gsize       length;
  JsonNode   *root;          /* NULL when not JSON */
} HxWsMessage;

typedef struct {
  HxServer                *server;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GQueue                   queue;        /* HxWsMessage*, arrival order */
  GPtrArray               *seen;         /* char*, every frame received (diagnostics) */
  guint64                  next_serial;
  gboolean                 closed;
  gushort                  close_code;
  gboolean                 auto_pong;
  guint                    n_pings;
  gint64                   last_frame_us;
  gint64                   last_ping_us;
} HxWs;

typedef gboolean (*HxMatchFunc) (JsonObject *object, gpointer data);

/* Connects and asserts success. With @auto_pong, every received PING is echoed at once
 * (unchanged) and not queued. */
HxWs        *hx_ws_connect            (HxServer     *server,
                                       gboolean      auto_pong);
void         hx_ws_free               (HxWs         *ws);
void         hx_ws_send_text          (HxWs         *ws,
                                       const char   *text);
void         hx_ws_send               (HxWs         *ws,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* LOGIN with @token (the default token when NULL); asserts return_code 0. */
void         hx_ws_login              (HxWs         *ws,
                                       const char   *token);

/* First queued JSON object (in arrival order, waiting up to @timeout_ms) for which @match
 * is TRUE; removed from the queue and returned (owned). Fails listing what arrived. */
JsonObject  *hx_ws_wait_at            (const char *file, int line, HxWs *ws,
                                       HxMatchFunc match, gpointer data,
                                       guint timeout_ms, const char *what);
/* Like hx_ws_wait but returns NULL on timeout instead of failing. */
JsonObject  *hx_ws_poll               (HxWs         *ws,
                                       HxMatchFunc   match,
                                       gpointer      data,
                                       guint         timeout_ms);
JsonObject  *hx_ws_wait_trnm_at       (const char *file, int line, HxWs *ws,
                                       const char *trnm, guint timeout_ms);
JsonObject  *hx_ws_wait_system_at     (const char *file, int line, HxWs *ws,
                                       const char *code, guint timeout_ms);

/* REAL entries: the first data[] entry of type @type (and item @item unless NULL, compared
 * after hx_normalize_code) satisfying @match (may be NULL). The entry is removed from its
 * frame; the frame leaves the queue when it has no entries left. */
JsonObject  *hx_ws_wait_real_at       (const char *file, int line, HxWs *ws,
                                       const char *type, const char *item,
                                       HxMatchFunc match, gpointer data,
                                       guint timeout_ms);
JsonObject  *hx_ws_poll_real          (HxWs         *ws,
                                       const char   *type,
                                       const char   *item,
                                       HxMatchFunc   match,
                                       gpointer      data,
                                       guint         timeout_ms);
/* The next 00 entry (any state) for order @ord_no; returns its `values` (owned). */
JsonObject  *hx_ws_next_order_event_at(const char *file, int line, HxWs *ws,
                                       const char *ord_no, guint timeout_ms);
/* Waits until the connection is closed; fails otherwise. */
void         hx_ws_wait_closed_at     (const char *file, int line, HxWs *ws,
                                       guint timeout_ms);
/* Drops everything queued so far. */
void         hx_ws_clear              (HxWs         *ws);
/* The queued non-JSON or binary frame (first), or NULL after @timeout_ms. */
HxWsMessage *hx_ws_poll_raw           (HxWs         *ws,
                                       gboolean    (*match) (HxWsMessage *m, gpointer d),
                                       gpointer      data,
                                       guint         timeout_ms);
void         hx_ws_message_free       (HxWsMessage  *message);
char        *hx_ws_describe_seen      (HxWs         *ws);

#define hx_ws_wait(ws, m, d, t, what)   hx_ws_wait_at (__FILE__, __LINE__, (ws), (m), (d), (t), (what))
#define hx_ws_wait_trnm(ws, trnm, t)    hx_ws_wait_trnm_at (__FILE__, __LINE__, (ws), (trnm), (t))
#define hx_ws_wait_system(ws, code, t)  hx_ws_wait_system_at (__FILE__, __LINE__, (ws), (code), (t))
#define hx_ws_wait_real(ws, type, item, m, d, t) \
  hx_ws_wait_real_at (__FILE__, __LINE__, (ws), (type), (item), (m), (d), (t))
#define hx_ws_next_order_event(ws, ord, t) hx_ws_next_order_event_at (__FILE__, __LINE__, (ws), (ord), (t))
#define hx_ws_wait_closed(ws, t)        hx_ws_wait_closed_at (__FILE__, __LINE__, (ws), (t))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HxWs, hx_ws_free)

/* Fails the current test at @file:@line with a printf-style message. */
void         hx_fail_at               (const char   *file,
                                       int           line,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (3, 4) G_GNUC_NORETURN;
#define hx_fail(...) hx_fail_at (__FILE__, __LINE__, __VA_ARGS__)

G_END_DECLS

// SqliteDb: one SQLite connection with the few operations samestory's stores need, errors as
// Status values naming the database file.
//
// Statements are prepared once and reused: run() binds its arguments (1-based, in order), steps
// to the end and resets; query() binds, then hands each row to a callback. Text is bound as a
// copy (SQLITE_TRANSIENT), so arguments may be temporaries.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace samestory {

struct SqliteStmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteStmt = std::unique_ptr<sqlite3_stmt, SqliteStmtCloser>;

// A blob argument (a text argument is any string_view).
struct SqliteBlob {
  std::string_view bytes;
};
// A value that may be NULL. A plain pair, not std::optional or std::variant: GCC 12 reports
// their storage as maybe-uninitialized once inlined into a bind, which -Werror turns into an error.
template <typename T>
struct SqliteNullable {
  T value{};
  bool null = true;
};
template <typename T>
SqliteNullable<T> nullable(bool present, T value) {
  return {value, !present};
}

// One result row, valid during the callback.
class SqliteRow {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  int64_t integer(int column) const { return sqlite3_column_int64(s_, column); }
  double real(int column) const { return sqlite3_column_double(s_, column); }
  bool is_null(int column) const { return sqlite3_column_type(s_, column) == SQLITE_NULL; }
  std::string_view text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, column))) : std::string_view();
  }
  std::string_view blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, column))) : std::string_view();
  }

 private:
  sqlite3_stmt* s_;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(SqliteDb&&) = default;
  SqliteDb& operator=(SqliteDb&&) = default;

  // flags: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE. Waits up to
  // `busy_ms` for a lock held by another connection before failing with SQLITE_BUSY.
  static Result<SqliteDb> open(const std::string& path, int flags, int busy_ms = 5000) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    SqliteDb db;
    db.db_.reset(raw);
    db.path_ = path;
    if (rc != SQLITE_OK) {
      return Status::io_error(fmt_error(path, raw ? sqlite3_errmsg(raw) : "cannot open the database"));
    }
    sqlite3_busy_timeout(raw, busy_ms);
    sqlite3_extended_result_codes(raw, 1);
    return db;
  }

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

  Status exec(const char* sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Status s = Status::io_error(fmt_error(path_, message ? message : sqlite3_errmsg(db_.get())));
      sqlite3_free(message);
      return s;
    }
    return Status::ok();
  }

  Result<SqliteStmt> prepare(const char* sql) const {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      return Status::io_error(fmt_error(path_, sqlite3_errmsg(db_.get())));
    }
    return SqliteStmt(s);
  }

  // Binds and steps until done (INSERT, UPDATE, DELETE).
  template <typename... Values>
  Status run(const SqliteStmt& stmt, const Values&... values) const {
    return query(stmt, [](const SqliteRow&) {}, values...);
  }

  // Binds and calls `row` for each result row.
  template <typename OnRow, typename... Values>
  Status query(const SqliteStmt& stmt, OnRow&& row, const Values&... values) const {
    sqlite3_stmt* s = stmt.get();
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    int i = 0;
    (bind(s, ++i, values), ...);
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        row(SqliteRow(s));
        continue;
      }
      sqlite3_reset(s);
      if (rc == SQLITE_DONE) return Status::ok();
      return Status::io_error(fmt_error(path_, sqlite3_errmsg(db_.get())));
    }
  }

  int64_t changes() const { return sqlite3_changes64(db_.get()); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  static std::string fmt_error(const std::string& path, std::string_view what) {
    return path + ": " + std::string(what);
  }
  static void bind(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, uint64_t v) { sqlite3_bind_int64(s, i, static_cast<int64_t>(v)); }
  static void bind(sqlite3_stmt* s, int i, uint32_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, int32_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, bool v) { sqlite3_bind_int64(s, i, v ? 1 : 0); }
  static void bind(sqlite3_stmt* s, int i, double v) { sqlite3_bind_double(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  static void bind(sqlite3_stmt* s, int i, const std::string& v) { bind(s, i, std::string_view(v)); }
  static void bind(sqlite3_stmt* s, int i, const char* v) { bind(s, i, std::string_view(v)); }
  static void bind(sqlite3_stmt* s, int i, SqliteBlob v) {
    sqlite3_bind_blob64(s, i, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT);
  }
  template <typename T>
  static void bind(sqlite3_stmt* s, int i, const SqliteNullable<T>& v) {
    if (v.null) {
      sqlite3_bind_null(s, i);
    } else {
      bind(s, i, v.value);
    }
  }

  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

}  // namespace samestory

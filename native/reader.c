// watchPipe: reads a child's output pipe from the Node event loop (a uv_poll on the read end) with
// plain read(2) into one buffer that JavaScript lends out, and counts the newlines of each chunk here.
// Node's own stream reads and a line count in JavaScript cost a log flood more than the copies do.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <node_api.h>
#include <uv.h>
#include "reader.h"

// A ready pipe is read at most this many times before other handles get their turn.
#define READS_PER_WAKE 1
// A read lands up to 63 bytes into the buffer (see on_readable).
#define MIN_BUFFER 4096

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_chunk;
  napi_ref buffer;
  napi_async_context context;
  char *data;
  size_t size;
  uint64_t offset;
  int fd;
  int polling;
  int closed;
  // The poll handle and the JavaScript handle object each hold the reader; the last to go frees it.
  int owners;
} reader_t;

static void release(reader_t *reader) {
  if (--reader->owners == 0) free(reader);
}

static void on_closed(uv_handle_t *handle) {
  reader_t *reader = handle->data;
  napi_delete_reference(reader->env, reader->on_chunk);
  napi_delete_reference(reader->env, reader->buffer);
  if (reader->context != NULL) napi_async_destroy(reader->env, reader->context);
  release(reader);
}

static void on_handle_collected(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release(data);
}

// The poll is stopped and closed before the fd, so a new pipe given the same number is not touched.
static void stop(reader_t *reader) {
  if (reader->closed) return;
  reader->closed = 1;
  uv_poll_stop(&reader->poll);
  uv_close((uv_handle_t *)&reader->poll, on_closed);
  close(reader->fd);
}

// onChunk(start, bytes, newlines, lastNewline): bytes > 0 is a chunk at `start` in the buffer (with
// the offset of its last newline from `start`), 0 the end of the pipe, and a negative number an errno.
// An exception it throws is the process's, as from any callback.
static void call_js(reader_t *reader, double start, double bytes, double newlines, double last) {
  napi_env env = reader->env;
  napi_handle_scope scope;
  napi_value callback, global, args[4], result;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_get_reference_value(env, reader->on_chunk, &callback);
  napi_get_global(env, &global);
  napi_create_double(env, start, &args[0]);
  napi_create_double(env, bytes, &args[1]);
  napi_create_double(env, newlines, &args[2]);
  napi_create_double(env, last, &args[3]);
  if (napi_make_callback(env, reader->context, global, callback, 4, args, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

// Ends the reading: stops and closes, then tells JavaScript (0: the end of the pipe; < 0: an error).
static void finish(reader_t *reader, int code) {
  stop(reader);
  call_js(reader, 0, code, 0, -1);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  reader_t *reader = poll->data;
  (void)events;
  // libuv has stopped the handle already: it would never fire again.
  if (status < 0) {
    finish(reader, status);
    return;
  }
  for (int round = 0; round < READS_PER_WAKE && reader->polling && !reader->closed; round++) {
    // Each byte lands at the same offset modulo 64 as in the output so far, so where the output is
    // written unchanged, file page and buffer are aligned alike (see alignedBuffer).
    size_t start = (size_t)(reader->offset & 63);
    char *into = reader->data + start;
    ssize_t got = read(reader->fd, into, reader->size - start);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) {
      finish(reader, got == 0 ? 0 : -errno);
      return;
    }
    reader->offset += (uint64_t)got;
    size_t count = 0;
    const char *end = into + got;
    for (const char *at = into; (at = memchr(at, '\n', (size_t)(end - at))) != NULL; at++) count++;
    const char *last = count ? memrchr(into, '\n', (size_t)got) : NULL;
    call_js(reader, (double)start, (double)got, (double)count, last ? (double)(last - into) : -1);
  }
}

static void free_aligned(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

// alignedBuffer(size) -> a Buffer whose memory starts on a page boundary. The kernel copies a pipe's
// pages into it, and out of it into a file's pages, with `rep movsb`, which on some processors (AMD
// Zen 3 measured here) runs at a third of its speed when the two addresses are misaligned by a few
// words; malloc's large blocks start 16 bytes into a page.
napi_value aligned_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t size = 0;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int64(env, argv[0], &size) != napi_ok || size <= 0 || size > (1 << 30)) {
    napi_throw_type_error(env, NULL, "alignedBuffer(size: number)");
    return NULL;
  }
  if (posix_memalign(&data, 4096, (size_t)size) != 0) {
    napi_throw_error(env, NULL, "alignedBuffer: out of memory");
    return NULL;
  }
  napi_value buffer;
  if (napi_create_external_buffer(env, (size_t)size, data, free_aligned, NULL, &buffer) != napi_ok) {
    free(data);
    return NULL;
  }
  return buffer;
}

// The reader behind `this`: methods are called on the handle object, which keeps the reader alive.
static reader_t *unwrap(napi_env env, napi_callback_info info) {
  napi_value self;
  void *reader = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, &reader) != napi_ok) {
    napi_throw_type_error(env, NULL, "call pause, resume and close on the object watchPipe returned");
    return NULL;
  }
  return reader;
}

static napi_value pause_reading(napi_env env, napi_callback_info info) {
  reader_t *reader = unwrap(env, info);
  if (reader == NULL) return NULL;
  if (!reader->closed && reader->polling) uv_poll_stop(&reader->poll);
  reader->polling = 0;
  return NULL;
}

static napi_value resume_reading(napi_env env, napi_callback_info info) {
  reader_t *reader = unwrap(env, info);
  if (reader == NULL) return NULL;
  if (!reader->closed && !reader->polling) uv_poll_start(&reader->poll, UV_READABLE, on_readable);
  reader->polling = 1;
  return NULL;
}

static napi_value close_reading(napi_env env, napi_callback_info info) {
  reader_t *reader = unwrap(env, info);
  if (reader != NULL) stop(reader);
  return NULL;
}

// watchPipe(fd, buffer, onChunk) -> {pause, resume, close}. Reading starts at once; the fd is the
// reader's from then on and is closed at the end of the pipe, on an error or by close(). When it
// throws, the fd stays the caller's.
napi_value watch_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd = -1;
  void *data = NULL;
  size_t size = 0;
  napi_valuetype kind = napi_undefined;
  bool is_buffer = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_is_buffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[1], &data, &size) != napi_ok || size < MIN_BUFFER ||
      napi_typeof(env, argv[2], &kind) != napi_ok || kind != napi_function) {
    napi_throw_type_error(env, NULL, "watchPipe(fd: number, buffer: Buffer of 4096 bytes or more, onChunk: function)");
    return NULL;
  }
  uv_loop_t *loop = NULL;
  reader_t *reader = calloc(1, sizeof *reader);
  if (reader == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &reader->poll, fd) != 0) {
    free(reader);
    napi_throw_error(env, NULL, "watchPipe: the fd cannot be polled");
    return NULL;
  }
  reader->env = env;
  reader->fd = fd;
  reader->data = data;
  reader->size = size;
  reader->poll.data = reader;
  napi_create_reference(env, argv[1], 1, &reader->buffer);
  napi_create_reference(env, argv[2], 1, &reader->on_chunk);
  napi_value resource_name;
  napi_create_string_utf8(env, "node-unit:pipe", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &reader->context);
  reader->polling = 1;
  reader->owners = 2;
  uv_poll_start(&reader->poll, UV_READABLE, on_readable);
  napi_value handle;
  const napi_property_descriptor methods[] = {
      {"pause", NULL, pause_reading, NULL, NULL, NULL, napi_default, NULL},
      {"resume", NULL, resume_reading, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_reading, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_create_object(env, &handle);
  napi_define_properties(env, handle, 3, methods);
  napi_wrap(env, handle, reader, on_handle_collected, NULL, NULL);
  return handle;
}

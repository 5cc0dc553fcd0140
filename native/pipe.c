// pipe2(2) and fcntl(F_SETPIPE_SZ) for the supervisor's log pipes, which Node cannot make itself,
// watchPipe (reader.c) to read them, and SO_SNDBUF for control sockets, which Node cannot set either.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <node_api.h>
#include "reader.h"

static napi_value throw_errno(napi_env env, const char *call) {
  char message[128];
  int code = errno;
  snprintf(message, sizeof message, "%s: %s", call, strerror(code));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value int_value(napi_env env, int value) {
  napi_value out;
  napi_create_int32(env, value, &out);
  return out;
}

// makePipe(capacity) -> [readFd, writeFd, capacity]. Both ends close on exec; the read end does not
// block. The capacity is a wish: the kernel may refuse it (a user's pipe budget) and keep its default.
static napi_value make_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t wanted = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &wanted) != napi_ok) {
    napi_throw_type_error(env, NULL, "makePipe(capacity: number)");
    return NULL;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return throw_errno(env, "pipe2");
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) {
    close(fds[0]);
    close(fds[1]);
    return throw_errno(env, "fcntl(F_SETFL)");
  }
  if (wanted > 0) fcntl(fds[0], F_SETPIPE_SZ, wanted);
  int capacity = fcntl(fds[0], F_GETPIPE_SZ);
  napi_value result;
  napi_create_array_with_length(env, 3, &result);
  napi_set_element(env, result, 0, int_value(env, fds[0]));
  napi_set_element(env, result, 1, int_value(env, fds[1]));
  napi_set_element(env, result, 2, int_value(env, capacity));
  return result;
}

// The (fd, size) arguments of resizePipe and setSendBuffer; false (a TypeError thrown, naming `usage`) when they are not.
static int fd_and_size(napi_env env, napi_callback_info info, const char *usage, int32_t *fd, int32_t *size) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], fd) != napi_ok || napi_get_value_int32(env, argv[1], size) != napi_ok || *fd < 0) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  return 1;
}

// resizePipe(fd, capacity) -> the capacity now. Growing is a wish too; shrinking below the bytes the
// pipe holds is refused (EBUSY) and keeps the old capacity.
static napi_value resize_pipe(napi_env env, napi_callback_info info) {
  int32_t fd = -1, wanted = 0;
  if (!fd_and_size(env, info, "resizePipe(fd: number, capacity: number)", &fd, &wanted)) return NULL;
  if (wanted > 0) fcntl(fd, F_SETPIPE_SZ, wanted);
  int capacity = fcntl(fd, F_GETPIPE_SZ);
  if (capacity < 0) return throw_errno(env, "fcntl(F_GETPIPE_SZ)");
  return int_value(env, capacity);
}

// setSendBuffer(fd, bytes) -> the send buffer now (as the kernel reports it: twice what was granted).
// A wish as well: the kernel caps it at net.core.wmem_max.
static napi_value set_send_buffer(napi_env env, napi_callback_info info) {
  int32_t fd = -1, wanted = 0;
  if (!fd_and_size(env, info, "setSendBuffer(fd: number, bytes: number)", &fd, &wanted)) return NULL;
  if (wanted > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &wanted, sizeof wanted) != 0) return throw_errno(env, "setsockopt(SO_SNDBUF)");
  int size = 0;
  socklen_t length = sizeof size;
  if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &length) != 0) return throw_errno(env, "getsockopt(SO_SNDBUF)");
  return int_value(env, size);
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "makePipe", NAPI_AUTO_LENGTH, make_pipe, NULL, &fn);
  napi_set_named_property(env, exports, "makePipe", fn);
  napi_create_function(env, "resizePipe", NAPI_AUTO_LENGTH, resize_pipe, NULL, &fn);
  napi_set_named_property(env, exports, "resizePipe", fn);
  napi_create_function(env, "watchPipe", NAPI_AUTO_LENGTH, watch_pipe, NULL, &fn);
  napi_set_named_property(env, exports, "watchPipe", fn);
  napi_create_function(env, "alignedBuffer", NAPI_AUTO_LENGTH, aligned_buffer, NULL, &fn);
  napi_set_named_property(env, exports, "alignedBuffer", fn);
  napi_create_function(env, "setSendBuffer", NAPI_AUTO_LENGTH, set_send_buffer, NULL, &fn);
  napi_set_named_property(env, exports, "setSendBuffer", fn);
  return exports;
}

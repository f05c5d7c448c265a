/*
 * lantern-nfs-fuse: the node's NFS client where the kernel has no nfs filesystem (issue 15).
 * Glue between two well-kept libraries: libnfs speaks NFS (v3 by default), libfuse3 serves the
 * mount point. No NFS wire code here.
 *
 *   lantern-nfs-fuse mount URL MOUNTPOINT   mount (daemonizes once mounted; exit 0 = mounted)
 *   lantern-nfs-fuse mkdir URL PATH         mkdir -p PATH below the export (the provisioner)
 *   lantern-nfs-fuse rmr URL PATH           rm -r PATH below the export (the provisioner)
 *   lantern-nfs-fuse probe URL              exit 0 when the export answers
 *
 * URL is libnfs's: nfs://HOST/EXPORT[?nfsport=N&mountport=M&version=3].
 * libnfs's sync calls are not thread-safe, so FUSE runs single-threaded (-s); every call has a
 * timeout so a server that disappears gives EIO instead of a hung container.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <nfsc/libnfs.h>

static struct nfs_context *nfs;

/* Every operation runs as the calling process's uid/gid, so the server's permission checks and owners hold. */
static void as_caller(void) {
  struct fuse_context *c = fuse_get_context();
  if (c == NULL) return;
  nfs_set_uid(nfs, (int)c->uid);
  nfs_set_gid(nfs, (int)c->gid);
}

static void fill_stat(const struct nfs_stat_64 *s, struct stat *st) {
  memset(st, 0, sizeof *st);
  st->st_ino = s->nfs_ino;
  st->st_mode = (mode_t)s->nfs_mode;
  st->st_nlink = (nlink_t)s->nfs_nlink;
  st->st_uid = (uid_t)s->nfs_uid;
  st->st_gid = (gid_t)s->nfs_gid;
  st->st_rdev = s->nfs_rdev;
  st->st_size = (off_t)s->nfs_size;
  st->st_blksize = (blksize_t)s->nfs_blksize;
  st->st_blocks = (blkcnt_t)s->nfs_blocks;
  st->st_atim.tv_sec = (time_t)s->nfs_atime;
  st->st_atim.tv_nsec = (long)s->nfs_atime_nsec;
  st->st_mtim.tv_sec = (time_t)s->nfs_mtime;
  st->st_mtim.tv_nsec = (long)s->nfs_mtime_nsec;
  st->st_ctim.tv_sec = (time_t)s->nfs_ctime;
  st->st_ctim.tv_nsec = (long)s->nfs_ctime_nsec;
}

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  struct nfs_stat_64 s;
  int r;
  as_caller();
  if (fi != NULL && fi->fh != 0) r = nfs_fstat64(nfs, (struct nfsfh *)(uintptr_t)fi->fh, &s);
  else r = nfs_lstat64(nfs, path, &s);
  if (r < 0) return r;
  fill_stat(&s, st);
  return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
  (void)off; (void)fi; (void)flags;
  struct nfsdir *dir;
  as_caller();
  int r = nfs_opendir(nfs, path, &dir);
  if (r < 0) return r;
  struct nfsdirent *e;
  while ((e = nfs_readdir(nfs, dir)) != NULL) {
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_ino = e->inode;
    st.st_mode = e->mode;
    if (fill(buf, e->name, &st, 0, 0)) break;
  }
  nfs_closedir(nfs, dir);
  return 0;
}

static int op_open(const char *path, struct fuse_file_info *fi) {
  struct nfsfh *fh;
  as_caller();
  int r = nfs_open(nfs, path, fi->flags & ~(O_CREAT | O_EXCL), &fh);
  if (r < 0) return r;
  fi->fh = (uint64_t)(uintptr_t)fh;
  return 0;
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  struct nfsfh *fh;
  as_caller();
  int r = nfs_create(nfs, path, fi->flags, (int)mode, &fh);
  if (r < 0) return r;
  fi->fh = (uint64_t)(uintptr_t)fh;
  return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  as_caller();
  /* libnfs answers at most readmax bytes per call; FUSE wants the whole range unless at EOF. */
  size_t done = 0;
  while (done < size) {
    int r = nfs_pread(nfs, (struct nfsfh *)(uintptr_t)fi->fh, (uint64_t)off + done, size - done, buf + done);
    if (r < 0) return done > 0 ? (int)done : r;
    if (r == 0) break;
    done += (size_t)r;
  }
  return (int)done;
}

static int op_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  as_caller();
  size_t done = 0;
  while (done < size) {
    int r = nfs_pwrite(nfs, (struct nfsfh *)(uintptr_t)fi->fh, (uint64_t)off + done, size - done, buf + done);
    if (r < 0) return done > 0 ? (int)done : r;
    if (r == 0) return -EIO;
    done += (size_t)r;
  }
  return (int)done;
}

static int op_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  if (fi->fh != 0) nfs_close(nfs, (struct nfsfh *)(uintptr_t)fi->fh);
  return 0;
}

static int op_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path; (void)datasync;
  as_caller();
  return fi->fh != 0 ? nfs_fsync(nfs, (struct nfsfh *)(uintptr_t)fi->fh) : 0;
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  as_caller();
  if (fi != NULL && fi->fh != 0) return nfs_ftruncate(nfs, (struct nfsfh *)(uintptr_t)fi->fh, (uint64_t)size);
  return nfs_truncate(nfs, path, (uint64_t)size);
}

static int op_unlink(const char *path) { as_caller(); return nfs_unlink(nfs, path); }
static int op_mkdir(const char *path, mode_t mode) { as_caller(); return nfs_mkdir2(nfs, path, (int)mode); }
static int op_rmdir(const char *path) { as_caller(); return nfs_rmdir(nfs, path); }
static int op_symlink(const char *target, const char *path) { as_caller(); return nfs_symlink(nfs, target, path); }
static int op_link(const char *from, const char *to) { as_caller(); return nfs_link(nfs, from, to); }

static int op_rename(const char *from, const char *to, unsigned int flags) {
  if (flags != 0) return -EINVAL;
  as_caller();
  return nfs_rename(nfs, from, to);
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  (void)fi;
  as_caller();
  return nfs_chmod(nfs, path, (int)mode);
}

static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  (void)fi;
  as_caller();
  return nfs_lchown(nfs, path, (int)uid, (int)gid);
}

static int op_readlink(const char *path, char *buf, size_t size) {
  as_caller();
  return nfs_readlink(nfs, path, buf, (int)size);
}

static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  (void)fi;
  struct timeval t[2];
  struct timeval now;
  gettimeofday(&now, NULL);
  for (int i = 0; i < 2; i++) {
    if (tv == NULL || tv[i].tv_nsec == UTIME_NOW) t[i] = now;
    else if (tv[i].tv_nsec == UTIME_OMIT) {
      struct nfs_stat_64 s;
      int r = nfs_lstat64(nfs, path, &s);
      if (r < 0) return r;
      t[i].tv_sec = (time_t)(i == 0 ? s.nfs_atime : s.nfs_mtime);
      t[i].tv_usec = 0;
    } else { t[i].tv_sec = tv[i].tv_sec; t[i].tv_usec = tv[i].tv_nsec / 1000; }
  }
  as_caller();
  return nfs_utimes(nfs, path, t);
}

static int op_statfs(const char *path, struct statvfs *out) {
  struct nfs_statvfs_64 s;
  int r = nfs_statvfs64(nfs, path, &s);
  if (r < 0) return r;
  memset(out, 0, sizeof *out);
  out->f_bsize = s.f_bsize; out->f_frsize = s.f_frsize; out->f_blocks = s.f_blocks;
  out->f_bfree = s.f_bfree; out->f_bavail = s.f_bavail; out->f_files = s.f_files;
  out->f_ffree = s.f_ffree; out->f_favail = s.f_favail; out->f_namemax = s.f_namemax;
  return 0;
}

static const struct fuse_operations ops = {
  .getattr = op_getattr, .readdir = op_readdir, .open = op_open, .create = op_create, .read = op_read,
  .write = op_write, .release = op_release, .fsync = op_fsync, .truncate = op_truncate, .unlink = op_unlink,
  .mkdir = op_mkdir, .rmdir = op_rmdir, .rename = op_rename, .chmod = op_chmod, .chown = op_chown,
  .utimens = op_utimens, .statfs = op_statfs, .symlink = op_symlink, .link = op_link, .readlink = op_readlink,
};

/* Mounts the export named by url; prints libnfs's reason and exits 1 when it cannot. */
static void connect_or_die(const char *url_text) {
  nfs = nfs_init_context();
  if (nfs == NULL) { fprintf(stderr, "lantern-nfs-fuse: out of memory\n"); exit(1); }
  nfs_set_timeout(nfs, 10000);
  nfs_set_autoreconnect(nfs, 3);
  struct nfs_url *url = nfs_parse_url_dir(nfs, url_text);
  if (url == NULL) { fprintf(stderr, "lantern-nfs-fuse: bad URL %s: %s\n", url_text, nfs_get_error(nfs)); exit(2); }
  if (nfs_mount(nfs, url->server, url->path) != 0) {
    fprintf(stderr, "lantern-nfs-fuse: cannot mount %s:%s: %s\n", url->server, url->path, nfs_get_error(nfs));
    exit(1);
  }
  nfs_destroy_url(url);
}

/* rm -r below the export, depth first; a missing path is success (idempotent delete). */
static int remove_tree(const char *path) {
  struct nfs_stat_64 s;
  int r = nfs_lstat64(nfs, path, &s);
  if (r == -ENOENT) return 0;
  if (r < 0) return r;
  if (!S_ISDIR((mode_t)s.nfs_mode)) return nfs_unlink(nfs, path);
  struct nfsdir *dir;
  r = nfs_opendir(nfs, path, &dir);
  if (r < 0) return r;
  struct nfsdirent *e;
  int err = 0;
  while ((e = nfs_readdir(nfs, dir)) != NULL && err == 0) {
    if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0) continue;
    char *child;
    if (asprintf(&child, "%s/%s", path, e->name) < 0) { err = -ENOMEM; break; }
    err = remove_tree(child);
    free(child);
  }
  nfs_closedir(nfs, dir);
  return err != 0 ? err : nfs_rmdir(nfs, path);
}

/* mkdir -p below the export; the leaf is world-writable, as a provisioned volume is in Kubernetes' nfs provisioners. */
static int make_dirs(const char *path) {
  char *p = strdup(path);
  if (p == NULL) return -ENOMEM;
  for (char *c = p + 1; ; c++) {
    if (*c == '/' || *c == '\0') {
      char saved = *c;
      *c = '\0';
      int r = nfs_mkdir2(nfs, p, 0777);
      if (r < 0 && r != -EEXIST) { free(p); return r; }
      *c = saved;
      if (saved == '\0') break;
    }
  }
  free(p);
  return nfs_chmod(nfs, path, 0777);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s mount URL MOUNTPOINT | mkdir URL PATH | rmr URL PATH | probe URL\n", argv[0]);
    return 2;
  }
  const char *cmd = argv[1];
  connect_or_die(argv[2]);
  if (strcmp(cmd, "probe") == 0) return 0;
  if (argc != 4) { fprintf(stderr, "lantern-nfs-fuse %s: expected a path\n", cmd); return 2; }
  const char *path = argv[3];
  if (strcmp(cmd, "mkdir") == 0 || strcmp(cmd, "rmr") == 0) {
    if (path[0] != '/' || strstr(path, "..") != NULL) { fprintf(stderr, "lantern-nfs-fuse: path must be absolute, no ..: %s\n", path); return 2; }
    int r = cmd[0] == 'm' ? make_dirs(path) : remove_tree(path);
    if (r < 0) { fprintf(stderr, "lantern-nfs-fuse %s %s: %s\n", cmd, path, strerror(-r)); return 1; }
    return 0;
  }
  if (strcmp(cmd, "mount") != 0) { fprintf(stderr, "lantern-nfs-fuse: unknown command %s\n", cmd); return 2; }
  /* allow_other: the container's processes are not this process; -s: libnfs's sync API is single-threaded. */
  char fsname[512];
  snprintf(fsname, sizeof fsname, "fsname=%s,subtype=lantern-nfs,allow_other,default_permissions", argv[2]);
  char *fargv[] = { argv[0], (char *)path, "-s", "-o", fsname, NULL };
  return fuse_main(5, fargv, &ops, NULL);
}

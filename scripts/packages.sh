# Sourced by scripts/setup and scripts/setup-test: the Debian packages each installs, and how.
#
# Run set: what lanternd, lcctl and scripts/quickstart call on a node.
#   runc, conmon                  the container runtime (runtime/runc)
#   containernetworking-plugins   CNI bridge, host-local, firewall, portmap (network/)
#   iptables, iproute2            pod networking, published ports, netns
#   openssl                       the server's CA and certificates (daemon/pki)
#   attr                          setfattr/getfattr: overlay whiteouts of image layers and builds
#   zstd                          zstd-compressed image layers
#   gcc, libc6-dev                `cc` builds the attach helper on first `lcctl run -it`/attach (runtime/runc/attach-helper.ts)
#   apparmor                      apparmor_parser: lanternd loads Docker's profile where the kernel has AppArmor
#   busybox-static                the sample image (scripts/make-busybox-image.mjs)
#   curl                          scripts/quickstart fetches the sample page
#   nftables                      nft: the service proxy and NetworkPolicy rules (network/)
#   libnfs-dev, libfuse3-dev,     `cc` builds the node's user-space NFS client (native/lantern-nfs-fuse.c) for nfs PVs
#   fuse3                         where the kernel has no nfs filesystem; fuse3 gives fusermount3 and /etc/fuse.conf
#   etcd-server                   etcd: lanternd server --cluster-init / --server runs an embedded member (daemon/embedded-etcd); the etcd store's tests start one
#   runsc                         gVisor: the sandboxed runtime handler of RuntimeClass runsc (src/runtime/handlers; ptrace platform)
# Test set: peers only the tests and benchmarks run against.
#   docker.io                     interop tests and bench (a private dockerd)
#   skopeo, docker-registry,      registry interop: copies, the reference registry,
#   apache2-utils                 and htpasswd for its auth
#   prometheus                    scrapes /metrics in test/metrics.e2e (promtool checks the format)
#   socat, procps                 shell tools the test set-up has always had
#   iperf3                        bench:network throughput; dnsmasq-base: the upstream resolver DNS tests forward to
#   nfs-ganesha, nfs-ganesha-vfs, the NFS server of test/storage-nfs (test/harness/nfs-server.ts): user-space, because
#   rpcbind                       these kernels have no nfsd (nfs-kernel-server cannot run here, so it is not listed)
#   libnfs-utils                  nfs-cp/nfs-ls: look at an export by hand when an NFS test fails
#   fio                           bench:storage write throughput
#   etcd-client                   etcdctl: look at and repair an etcd cluster by hand (member list/remove, snapshots)
#   docker-compose                Debian's docker-compose (1.29) against lanternd's Docker socket in test/docker-api.e2e
#   zsh, fish                     zsh -n / fish -n check the scripts of `lcctl completion` (src/cli/completion)
#   ansible-core                  ansible-playbook runs deploy/ansible in test/ansible-deploy.e2e (ansible.builtin modules only)
run_packages=(runc conmon containernetworking-plugins iptables iproute2 openssl attr zstd gcc libc6-dev apparmor busybox-static curl nftables libnfs-dev libfuse3-dev fuse3 etcd-server runsc)
test_packages=(docker.io skopeo docker-registry apache2-utils prometheus socat procps iperf3 dnsmasq-base nfs-ganesha nfs-ganesha-vfs rpcbind libnfs-utils fio etcd-client docker-compose zsh fish ansible-core)
# What scripts/check-test-peers looks for on PATH (commands, so a Docker installed another way counts).
run_commands=(runc conmon ip iptables nft openssl setfattr zstd cc busybox etcd runsc)
test_commands=(docker dockerd skopeo docker-registry htpasswd prometheus promtool iperf3 dnsmasq ganesha.nfsd rpcbind fio etcdctl docker-compose zsh fish ansible-playbook)

# ensure_packages WHO PKG...: apt-get install the ones not installed yet (nothing when all are).
ensure_packages() {
  local who=$1; shift
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "$who: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

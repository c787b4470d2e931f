"""A real Redis Cluster on loopback, for the tests and the chaos runs: redis-server 7 nodes
with cluster-enabled on free ports, joined by `redis-cli --cluster create`, torn down after.

With replicas, each master gets that many replicas, and `kill` SIGKILLs one node, so a
failover drill can watch a replica be promoted.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis

from chaos.cluster import free_port, wait_until

NODE_TIMEOUT_MS = 2000  # how long a master may be silent before its replica takes over


def redis_executables() -> tuple[str, str]:
    """redis-server and redis-cli 7 from the machine (Debian's redis-server package)."""
    server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if not server or not cli:
        raise RuntimeError("a Redis Cluster needs redis-server and redis-cli 7 on PATH")
    return server, cli


@dataclass(eq=False)  # a node is itself: compared and hashed by identity
class Node:
    port: int
    workdir: Path
    # the cluster bus on a port of its own: the default (port + 10000) may be taken or too high
    bus_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, decode_responses=True)


@dataclass
class LocalCluster:
    """`masters` masters with `replicas` replicas each, under `workdir`."""

    workdir: Path
    masters: int = 3
    replicas: int = 0
    appendonly: bool = False
    nodes: list[Node] = field(default_factory=list)

    @property
    def url(self) -> str:
        """REDIS_URL for the cluster, naming every node as a seed."""
        return "redis+cluster://" + ",".join(node.address for node in self.nodes)

    def start(self) -> None:
        server, cli = redis_executables()
        for n in range(self.masters * (1 + self.replicas)):
            port = free_port()
            workdir = self.workdir / f"node-{n}-{port}"
            workdir.mkdir(parents=True)
            node = Node(port, workdir)
            self.nodes.append(node)
            self._spawn(server, node)
        for node in self.nodes:
            wait_until(lambda node=node: _answers(node), 20, f"redis node {node.port}")
        if len(self.nodes) == 1:  # `--cluster create` wants 3 masters: one takes every slot
            with self.nodes[0].client() as client:
                client.execute_command("CLUSTER ADDSLOTSRANGE", 0, 16383)
        else:
            subprocess.run(
                [cli, "--cluster", "create", *(node.address for node in self.nodes),
                 "--cluster-replicas", str(self.replicas), "--cluster-yes"],
                check=True, capture_output=True, timeout=60,
            )  # fmt: skip
        wait_until(self.healthy, 60, "the cluster to agree on every slot", interval=0.2)

    def _spawn(self, server: str, node: Node) -> None:
        command = [
            server, "--port", str(node.port), "--bind", "127.0.0.1",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-port", str(node.bus_port),
            "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--save", "",
            "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "always",
            "--dir", str(node.workdir), "--logfile", "redis.log",
            # the chaos run's MISCONF fault moves `dir` (CONFIG SET), from loopback only
            "--enable-protected-configs", "local",
        ]  # fmt: skip
        node.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    def live(self) -> list[Node]:
        return [n for n in self.nodes if n.process is not None and n.process.poll() is None]

    def healthy(self) -> bool:
        """Every live node says the cluster is ok, all slots served, and knows its masters."""
        try:
            for node in self.live():
                with node.client() as client:
                    info = client.cluster("info")
                    if info["cluster_state"] != "ok" or int(info["cluster_slots_ok"]) != 16384:
                        return False
        except redis.RedisError:
            return False
        return True

    def master_nodes(self) -> list[Node]:
        """The live nodes that are masters now, as a live node sees it."""
        by_port = {node.port: node for node in self.live()}
        with self.live()[0].client() as client:
            lines = client.execute_command("CLUSTER NODES")
        if isinstance(lines, dict):  # redis-py parses the reply into {address: flags, …}
            masters = [
                address for address, info in lines.items()
                if "master" in info["flags"] and "fail" not in info["flags"]
            ]  # fmt: skip
        else:
            masters = [
                line.split()[1] for line in lines.splitlines()
                if "master" in line.split()[2] and "fail" not in line.split()[2]
            ]  # fmt: skip
        ports = {int(address.split("@")[0].rsplit(":", 1)[1]) for address in masters}
        return [by_port[port] for port in sorted(ports) if port in by_port]

    def restart(self, node: Node) -> None:
        """Start a stopped node again on its directory (its nodes.conf and AOF), and wait
        until the cluster serves every slot again."""
        server, _ = redis_executables()
        self._spawn(server, node)
        wait_until(lambda: _answers(node), 30, f"redis node {node.port} restart")
        wait_until(self.healthy, 60, "the cluster to serve every slot again", interval=0.2)

    def kill(self, node: Node) -> None:
        """SIGKILL one node: no shutdown, no last write."""
        assert node.process is not None
        node.process.send_signal(signal.SIGKILL)
        node.process.wait(timeout=10)

    def stop(self) -> None:
        for node in self.live():
            node.process.terminate()
        for node in self.nodes:
            if node.process is not None:
                try:
                    node.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    node.process.kill()


def _answers(node: Node) -> bool:
    try:
        with node.client() as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


class ClusterState:
    """The chaos run's state on a Redis Cluster, in the shape of chaos.cluster.RedisServer:
    `kill` SIGKILLs one master (its slots go unserved: CLUSTERDOWN), `start` starts the
    cluster, or the killed master again on its AOF (`appendfsync always`)."""

    name = "state"
    refusals = ("maxmemory", "misconf")  # a cluster node cannot be made a REPLICAOF replica
    shards = 16  # BOUNCEKEEPER_SHARDS of the run's processes

    def __init__(self, workdir: Path, logs: Path, masters: int = 3, replicas: int = 0):
        self.replicas = replicas
        self.cluster = LocalCluster(workdir / "state-cluster", masters, replicas, appendonly=True)
        self.log_path = logs / "state-cluster.log"  # where each node's log is: its directory
        self.killed: Node | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return self.cluster.url

    def start(self) -> None:
        if not self.cluster.nodes:
            self.cluster.start()
            self.log_path.write_text(
                "".join(f"{node.workdir / 'redis.log'}\n" for node in self.cluster.nodes)
            )
        elif self.killed is not None:
            self.cluster.restart(self.killed)
            self.killed = None
        else:
            return  # running already (the run starts it before the processes that need it)
        self.starts += 1

    def kill(self) -> None:
        self.killed = self.cluster.master_nodes()[0]
        self.cluster.kill(self.killed)

    def failover(self) -> tuple[Node, float]:
        """The drill: SIGKILL a master that has a replica, wait until a replica serves its
        slots; the promoted node and how long the slots went unserved (s). `start` then brings
        the killed node back, as a replica of the promoted one."""
        before = self.cluster.master_nodes()
        self.kill()
        began = time.monotonic()
        promoted = wait_for_failover(self.cluster, self.killed, before)
        return promoted, time.monotonic() - began

    def stop(self) -> None:
        self.cluster.stop()

    def exited(self) -> bool:
        """Whether a node ended on its own (the one this killed is not counted)."""
        return any(
            node is not self.killed and node.process is not None and node.process.poll() is not None
            for node in self.cluster.nodes
        )

    def refuse_writes(self, how: str, workdir: Path) -> Callable[[], None]:
        """Every master refuses writes `how` (chaos.cluster.refuse_writes); the remedy of all."""
        from chaos.cluster import refuse_writes

        remedies = []
        for node in self.cluster.master_nodes():
            place = workdir / f"refuse-{how}-{node.port}"
            place.mkdir(parents=True, exist_ok=True)
            remedies.append(refuse_writes(f"redis://{node.address}/0", how, place))

        def remedy_all() -> None:
            for remedy in remedies:
                remedy()

        return remedy_all


@contextmanager
def running_cluster(
    workdir: Path, masters: int = 3, replicas: int = 0, appendonly: bool = False
) -> Iterator[LocalCluster]:
    """A started cluster, stopped on exit."""
    cluster = LocalCluster(workdir, masters, replicas, appendonly)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def wait_for_failover(
    cluster: LocalCluster, killed: Node, before: list[Node], timeout: float = 60
) -> Node:
    """Wait until a replica has taken the killed master's slots (as many live masters as
    `before`, the masters before the kill, and every slot served); the node that did."""

    def promoted() -> bool:
        live = [node for node in cluster.master_nodes() if node is not killed]
        return len(live) == len(before) and cluster.healthy()

    wait_until(promoted, timeout, "a replica to be promoted", interval=0.2)
    (new,) = set(cluster.master_nodes()) - set(before)
    return new

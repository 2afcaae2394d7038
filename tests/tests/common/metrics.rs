//! What a piece of async code recorded through the `metrics` facade: run on a current-thread
//! runtime under a `metrics-util` debugging recorder local to this thread, so tests running
//! beside it record nothing here.

use std::collections::BTreeMap;
use std::future::Future;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

/// One metric's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Counter(u64),
    Gauge(f64),
    Histogram(Vec<f64>),
}

/// Every metric recorded, by `name{label="value",…}` (labels sorted by name).
#[derive(Debug, Default)]
pub struct Metrics(pub BTreeMap<String, Recorded>);

impl Metrics {
    pub fn counter(&self, key: &str) -> Option<u64> {
        match self.0.get(key) {
            Some(Recorded::Counter(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn gauge(&self, key: &str) -> Option<f64> {
        match self.0.get(key) {
            Some(Recorded::Gauge(v)) => Some(*v),
            _ => None,
        }
    }

    pub fn histogram(&self, key: &str) -> Vec<f64> {
        match self.0.get(key) {
            Some(Recorded::Histogram(v)) => v.clone(),
            _ => Vec::new(),
        }
    }

    /// The keys of metric `name`.
    pub fn keys_of(&self, name: &str) -> Vec<&str> {
        self.0
            .keys()
            .filter(|k| k.split('{').next() == Some(name))
            .map(String::as_str)
            .collect()
    }
}

/// A debugging recorder and its snapshots.
pub struct Recording {
    recorder: DebuggingRecorder,
    snapshotter: Snapshotter,
}

impl Recording {
    pub fn new() -> Recording {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        Recording {
            recorder,
            snapshotter,
        }
    }

    /// Runs `body` to completion on a current-thread runtime (its spawned tasks included),
    /// recording here.
    pub fn run<T>(&self, body: impl Future<Output = T>) -> T {
        ::metrics::with_local_recorder(&self.recorder, || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a current-thread runtime")
                .block_on(body)
        })
    }

    /// What was recorded so far (histogram samples since the last call).
    pub fn metrics(&self) -> Metrics {
        let mut metrics = Metrics::default();
        for (key, _, _, value) in self.snapshotter.snapshot().into_vec() {
            let mut labels: Vec<String> = key
                .key()
                .labels()
                .map(|l| format!("{}={:?}", l.key(), l.value()))
                .collect();
            labels.sort();
            let name = if labels.is_empty() {
                key.key().name().to_owned()
            } else {
                format!("{}{{{}}}", key.key().name(), labels.join(","))
            };
            let value = match value {
                DebugValue::Counter(n) => Recorded::Counter(n),
                DebugValue::Gauge(v) => Recorded::Gauge(v.into_inner()),
                DebugValue::Histogram(v) => {
                    Recorded::Histogram(v.into_iter().map(|x| x.into_inner()).collect())
                }
            };
            metrics.0.insert(name, value);
        }
        metrics
    }
}

/// Runs `body` as [`Recording::run`] does and returns what it recorded.
#[allow(dead_code)] // Not every test binary uses it.
pub fn recorded<T>(body: impl Future<Output = T>) -> (T, Metrics) {
    let recording = Recording::new();
    let out = recording.run(body);
    (out, recording.metrics())
}

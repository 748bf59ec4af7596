//! Where tokens and remembered devices are kept: in memory, in a file, or anywhere
//! that implements [`TokenStore`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::devices::RememberedDevice;
use crate::tokens::TokenSet;
use crate::{Cognito, Error, Result};

/// What is kept for one user of one app client.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StoredUser {
    /// The latest tokens, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokenSet>,
    /// The remembered device, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<RememberedDevice>,
}

/// A place to keep tokens and device keys, by key (pool, client and user name).
///
/// Calls are synchronous and short; implementations must be safe to share.
pub trait TokenStore: Send + Sync {
    /// The record under `key`, if any.
    fn load(&self, key: &str) -> Result<Option<StoredUser>>;
    /// Replaces the record under `key`.
    fn save(&self, key: &str, value: &StoredUser) -> Result<()>;

    /// Changes the record under `key` (starting from an empty one).
    fn update(&self, key: &str, change: &mut dyn FnMut(&mut StoredUser)) -> Result<()> {
        let mut record = self.load(key)?.unwrap_or_default();
        change(&mut record);
        self.save(key, &record)
    }
}

/// Keeps records in memory, for the life of the process.
///
/// ```
/// use cognito::{MemoryStore, StoredUser, TokenStore};
///
/// let store = MemoryStore::default();
/// store.save("k", &StoredUser::default())?;
/// assert!(store.load("k")?.is_some());
/// # Ok::<(), cognito::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Mutex<BTreeMap<String, StoredUser>>,
}

impl TokenStore for MemoryStore {
    fn load(&self, key: &str) -> Result<Option<StoredUser>> {
        Ok(self.records.lock().expect("not poisoned").get(key).cloned())
    }

    fn save(&self, key: &str, value: &StoredUser) -> Result<()> {
        self.records
            .lock()
            .expect("not poisoned")
            .insert(key.to_owned(), value.clone());
        Ok(())
    }
}

/// Keeps records in one JSON file, readable only by its owner (mode 0600 on Unix),
/// replaced atomically on each save. An empty record is removed from the file.
///
/// ```
/// use cognito::{FileStore, RememberedDevice, StoredUser, TokenStore};
///
/// let path = std::env::temp_dir().join(format!("cognito-doc-{}.json", std::process::id()));
/// let store = FileStore::new(&path);
/// let device = RememberedDevice::new("us-east-1_abc", "-group", "device-password");
/// store.save("k", &StoredUser { device: Some(device), ..Default::default() })?;
/// assert!(FileStore::new(&path).load("k")?.unwrap().device.is_some());
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), cognito::Error>(())
/// ```
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileStore {
    /// A store in `path` (created on the first save, with its directory).
    pub fn new(path: impl AsRef<Path>) -> Self {
        Self {
            path: path.as_ref().to_owned(),
            lock: Mutex::new(()),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_all(&self) -> Result<BTreeMap<String, StoredUser>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::Store(format!("{}: {e}", self.path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(Error::Store(format!("{}: {e}", self.path.display()))),
        }
    }

    fn write_all(&self, records: &BTreeMap<String, StoredUser>) -> Result<()> {
        let json = serde_json::to_vec_pretty(records).map_err(|e| Error::Store(e.to_string()))?;
        write_private_file(&self.path, &json)
            .map_err(|e| Error::Store(format!("{}: {e}", self.path.display())))
    }
}

/// Replaces a file atomically (a temporary file, then a rename) with one that only its
/// owner can read and write (mode 0600 on Unix), creating its directory if needed.
///
/// ```
/// let path = std::env::temp_dir().join(format!("cognito-private-{}", std::process::id()));
/// cognito::write_private_file(&path, b"{}")?;
/// assert_eq!(std::fs::read(&path)?, b"{}");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    write_private(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

impl TokenStore for FileStore {
    fn load(&self, key: &str) -> Result<Option<StoredUser>> {
        let _guard = self.lock.lock().expect("not poisoned");
        Ok(self.read_all()?.remove(key))
    }

    fn save(&self, key: &str, value: &StoredUser) -> Result<()> {
        let _guard = self.lock.lock().expect("not poisoned");
        let mut records = self.read_all()?;
        if value == &StoredUser::default() {
            records.remove(key);
        } else {
            records.insert(key.to_owned(), value.clone());
        }
        self.write_all(&records)
    }
}

impl Cognito {
    /// The record kept for `username` (the pool's user name), if there is a store and one.
    pub(crate) fn stored(&self, username: &str) -> Result<Option<StoredUser>> {
        match &self.inner.store {
            Some(store) => store.load(&self.store_key(username)),
            None => Ok(None),
        }
    }

    /// Changes the record kept for `username`; nothing without a store.
    pub(crate) fn update_stored(
        &self,
        username: &str,
        mut change: impl FnMut(&mut StoredUser),
    ) -> Result<()> {
        match &self.inner.store {
            Some(store) => store.update(&self.store_key(username), &mut change),
            None => Ok(()),
        }
    }
}

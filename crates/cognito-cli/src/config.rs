//! Where the command keeps its state: profiles (pool, client, endpoint, user) and,
//! through `cognito::FileStore`, tokens and remembered devices. Both files are 0600.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use cognito::{Cognito, FileStore};
use serde::{Deserialize, Serialize};

/// Options shared by the commands that use a saved profile.
#[derive(Debug, Args, Clone)]
pub struct ProfileArgs {
    /// The profile to use (several logins can be kept side by side).
    #[arg(long, env = "COGNITO_PROFILE", default_value = "default")]
    pub profile: String,
    /// Where profiles, tokens and device keys are kept (default: $XDG_CONFIG_HOME/cognito or ~/.config/cognito).
    #[arg(long, env = "COGNITO_CONFIG_DIR")]
    pub config_dir: Option<PathBuf>,
}

/// What a profile remembers of a login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub pool_id: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The pool's user name (the tokens' `username`).
    pub username: String,
}

impl ProfileArgs {
    pub fn dir(&self) -> Result<PathBuf, String> {
        if let Some(dir) = &self.config_dir {
            return Ok(dir.clone());
        }
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))
            .ok_or("no config directory: set --config-dir or HOME")?;
        Ok(base.join("cognito"))
    }

    fn profiles_path(&self) -> Result<PathBuf, String> {
        Ok(self.dir()?.join("profiles.json"))
    }

    /// The token and device store.
    pub fn store(&self) -> Result<Arc<FileStore>, String> {
        Ok(Arc::new(FileStore::new(self.dir()?.join("tokens.json"))))
    }

    fn read_profiles(&self) -> Result<BTreeMap<String, Profile>, String> {
        let path = self.profiles_path()?;
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The saved profile.
    pub fn load(&self) -> Result<Profile, String> {
        self.read_profiles()?.remove(&self.profile).ok_or_else(|| {
            format!(
                "no profile {:?}: log in first with `cognito login`",
                self.profile
            )
        })
    }

    /// Saves the profile (the file is readable by its owner only: it may hold a client secret).
    pub fn save(&self, profile: &Profile) -> Result<(), String> {
        let mut profiles = self.read_profiles()?;
        profiles.insert(self.profile.clone(), profile.clone());
        let path = self.profiles_path()?;
        let json = serde_json::to_vec_pretty(&profiles).map_err(|e| e.to_string())?;
        cognito::write_private_file(&path, &json).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A client for the profile's pool, with the token store.
    pub fn client(&self, profile: &Profile, remember_devices: bool) -> Result<Cognito, String> {
        let mut builder = Cognito::builder()
            .pool_id(&profile.pool_id)
            .client_id(&profile.client_id)
            .token_store(self.store()?)
            .remember_devices(remember_devices)
            .device_name("cognito-cli");
        if let Some(secret) = &profile.client_secret {
            builder = builder.client_secret(secret);
        }
        if let Some(endpoint) = &profile.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        builder.build().map_err(|e| e.to_string())
    }
}

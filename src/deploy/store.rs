//! Where a deploy writes: a folder (local or mounted), or an S3-compatible bucket through
//! object_store. Both answer the same few calls; errors come back as plain sentences,
//! never with credentials in them.

use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

/// A deploy target.
pub enum Store {
    Folder(PathBuf),
    Bucket {
        store: Arc<dyn ObjectStore>,
        /// Key prefix inside the bucket, "" or ending in `/`.
        prefix: String,
        runtime: tokio::runtime::Runtime,
    },
}

impl Store {
    /// `s3://bucket/prefix` is a bucket, with the endpoint and credentials from the usual
    /// `AWS_*` environment variables; anything else is a folder.
    pub fn open(target: &str) -> Result<Store, String> {
        let Some(rest) = target.strip_prefix("s3://") else {
            return Ok(Store::Folder(PathBuf::from(target)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err("the target names no bucket".into());
        }
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| format!("cannot set up the bucket: {e}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let prefix = match prefix.trim_matches('/') {
            "" => String::new(),
            p => format!("{p}/"),
        };
        Ok(Store::Bucket {
            store: Arc::new(store),
            prefix,
            runtime,
        })
    }

    /// The bytes at `key`, or `None` when there is nothing there.
    pub fn read(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        match self {
            Store::Folder(dir) => match std::fs::read(dir.join(key)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.to_string()),
            },
            Store::Bucket {
                store,
                prefix,
                runtime,
            } => runtime.block_on(async {
                match store.get(&Key::from(format!("{prefix}{key}"))).await {
                    Ok(got) => Ok(Some(got.bytes().await.map_err(|e| e.to_string())?.to_vec())),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e.to_string()),
                }
            }),
        }
    }

    /// Writes `bytes` at `key` whole (readers never see half a file), with its content
    /// type and cache policy where the target keeps them.
    pub fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &'static str,
        cache: &'static str,
    ) -> Result<(), String> {
        match self {
            Store::Folder(dir) => {
                crate::write::replace_file(&dir.join(key), &bytes).map_err(|e| e.to_string())
            }
            Store::Bucket {
                store,
                prefix,
                runtime,
            } => {
                let mut attributes = Attributes::new();
                attributes.insert(Attribute::ContentType, content_type.into());
                attributes.insert(Attribute::CacheControl, cache.into());
                let options = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                let key = Key::from(format!("{prefix}{key}"));
                runtime
                    .block_on(store.put_opts(&key, PutPayload::from(bytes), options))
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        }
    }

    pub fn delete(&self, key: &str) -> Result<(), String> {
        match self {
            Store::Folder(dir) => match std::fs::remove_file(dir.join(key)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
                _ => Ok(()),
            },
            Store::Bucket {
                store,
                prefix,
                runtime,
            } => runtime
                .block_on(store.delete(&Key::from(format!("{prefix}{key}"))))
                .map_err(|e| e.to_string()),
        }
    }
}

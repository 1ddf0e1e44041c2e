//! The Docker engine (Debian's `docker.io`, a private daemon per test) against the emulator:
//! the `docker login/tag/push/pull` steps of both editions of `../shared/seeds/`, with the
//! emulator's login server in place of `myregistry.azurecr.io` / `myregistry.azurecr.cn` and
//! the `az acr` steps run as `acr` commands: push allowed and refused ("requested access to
//! the resource is denied"), pull, the flip after `scope-map update`, a disabled and a deleted
//! token; and `acr login -u … -p …` followed by `docker pull` with no `docker login`.
//!
//! Docker treats 127.0.0.0/8 as an insecure registry: it talks TLS to the emulator without
//! verifying its certificate (and would fall back to plain HTTP), so these tests check the
//! registry protocol and ACR's authorization as docker drives them, not TLS verification.
//! Images are made offline with `docker import` (the seeds pull them from `mcr.azk8s.cn`).
//!
//! A missing docker skips these tests with a `skipped:` note, unless `ACR_REQUIRE_CLIENTS=1`
//! (CI), which makes it a failure.

use crate::support::clients::Run;
use crate::support::docker::Docker;
use crate::support::{Acr, Reg};

pub const DENIED: &str = "requested access to the resource is denied";
/// What docker reports for a disabled or deleted token: the emulator's 401 as ACR words it
/// (not the `400 Bad Request` of an HTTP fallback, which would mask it).
pub const UNAUTHORIZED: &str = "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.";

#[track_caller]
pub fn ok(r: &Run, what: &str) {
    assert!(r.ok, "{what} failed:\n{}\n{}", r.stdout, r.stderr);
}

#[track_caller]
pub fn refused(r: &Run, what: &str, needle: &str) {
    assert!(!r.ok, "{what} should have been refused:\n{}", r.stdout);
    assert!(
        r.stderr.contains(needle),
        "{what}: expected '{needle}' in:\n{}",
        r.stderr
    );
}

/// One docker daemon, one emulator and an `acr` for it.
pub struct Walkthrough {
    pub docker: Docker,
    pub r: Reg,
    pub acr: Acr,
}

impl Walkthrough {
    pub async fn start() -> Option<Walkthrough> {
        let docker = Docker::start().await?;
        let r = Reg::start().await;
        let acr = Acr::new(&r.e);
        Some(Walkthrough { docker, r, acr })
    }

    /// `<login server>/<repo_tag>`, the seeds' `myregistry.azurecr.io/<repo_tag>`.
    pub fn image(&self, repo_tag: &str) -> String {
        format!("{}/{repo_tag}", self.r.login)
    }

    /// `docker login` that must succeed and say `Login Succeeded`.
    pub async fn logged_in(&self, user: &str, password: &str) {
        let login = self.login(user, password).await;
        ok(&login, &format!("docker login as {user}"));
        assert!(login.stdout.contains("Login Succeeded"), "{}", login.stdout);
    }

    /// `echo $TOKEN_PWD | docker login --username $TOKEN_NAME --password-stdin <server>`.
    pub async fn login(&self, user: &str, password: &str) -> Run {
        self.docker
            .run_with(
                &[
                    "login",
                    "--username",
                    user,
                    "--password-stdin",
                    &self.r.login,
                ],
                &format!("{password}\n"),
            )
            .await
    }

    pub async fn push(&self, repo_tag: &str) -> Run {
        self.docker.run(&["push", &self.image(repo_tag)]).await
    }

    /// Removes the local copy first, so that the pull really downloads.
    pub async fn pull(&self, repo_tag: &str) -> Run {
        let image = self.image(repo_tag);
        self.docker.run(&["rmi", "--force", &image]).await;
        assert!(self.docker.image_id(&image).await.is_none());
        self.docker.run(&["pull", &image]).await
    }

    /// Pulls `repo_tag` and checks that the image is the one pushed as `id`.
    pub async fn pulled(&self, repo_tag: &str, id: &str) {
        ok(
            &self.pull(repo_tag).await,
            &format!("docker pull {repo_tag}"),
        );
        assert_eq!(
            self.docker.image_id(&self.image(repo_tag)).await.as_deref(),
            Some(id)
        );
    }

    /// With a `Puller` token's credentials in place: hello-world pulls (and is `hello_id`),
    /// nginx is refused.
    pub async fn pulls_only_hello_world(&self, hello_id: &str) {
        self.pulled("samples/hello-world:v1", hello_id).await;
        refused(
            &self.pull("samples/nginx:v1").await,
            "docker pull outside the map",
            DENIED,
        );
    }

    /// A disabled or deleted token: `docker login` is refused, and so is a pull with the
    /// credentials an earlier login stored.
    pub async fn locked_out(&self, user: &str, password: &str, why: &str) {
        refused(
            &self.login(user, password).await,
            &format!("docker login, {why}"),
            UNAUTHORIZED,
        );
        refused(
            &self.pull("samples/nginx:v1").await,
            &format!("docker pull, {why}"),
            UNAUTHORIZED,
        );
    }

    /// `docker tag <local> <server>/<repo_tag>`.
    pub async fn tag(&self, local: &str, repo_tag: &str) {
        ok(
            &self
                .docker
                .run(&["tag", local, &self.image(repo_tag)])
                .await,
            "docker tag",
        );
    }

    /// Pushes `samples/hello-world:v1` and `samples/nginx:v1` as the registry's owner (the
    /// seeds' prerequisite "push or import one or more sample images"), then logs out.
    pub async fn seed_images(&self) -> [String; 2] {
        let hello = self
            .docker
            .import("local/hello-world", "hello, world\n")
            .await;
        let nginx = self.docker.import("local/nginx", "nginx 1.15.5\n").await;
        self.tag("local/hello-world", "samples/hello-world:v1")
            .await;
        self.tag("local/nginx", "samples/nginx:v1").await;
        let (sp, secret) = self.r.sp();
        ok(&self.login(&sp, &secret).await, "docker login as the owner");
        ok(
            &self.push("samples/hello-world:v1").await,
            "seed hello-world",
        );
        ok(&self.push("samples/nginx:v1").await, "seed nginx");
        ok(
            &self.docker.run(&["logout", &self.r.login]).await,
            "docker logout",
        );
        [hello, nginx]
    }

    /// The first password of a token created or regenerated by `line`.
    pub async fn password(&self, line: &str) -> String {
        let out = self.acr.ok(line).await.json();
        out["credentials"]["passwords"][0]["value"]
            .as_str()
            .or_else(|| out["passwords"][0]["value"].as_str())
            .unwrap_or_else(|| panic!("no password in {out}"))
            .to_owned()
    }
}

/// The English edition: a token with `--repository` (write on hello-world, read on both),
/// docker login, pulls, push allowed and refused, `scope-map update --remove`, new passwords,
/// a disabled and a deleted token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_walks_through_the_english_edition() {
    let Some(w) = Walkthrough::start().await else {
        return;
    };
    let [hello_id, nginx_id] = w.seed_images().await;
    let pw = w
        .password(
            "acr token create --name MyToken --registry myregistry \\\n  --repository samples/hello-world content/write content/read \\\n  --repository samples/nginx content/read --status enabled",
        )
        .await;
    w.logged_in("MyToken", &pw).await;

    // docker pull succeeds for both repositories, and brings back the pushed images.
    w.pulled("samples/hello-world:v1", &hello_id).await;
    w.pulled("samples/nginx:v1", &nginx_id).await;

    // docker push succeeds to hello-world and fails for nginx.
    w.docker.import("local/next", "next version\n").await;
    w.tag("local/next", "samples/hello-world:v2").await;
    w.tag("local/next", "samples/nginx:v2").await;
    ok(&w.push("samples/hello-world:v2").await, "push hello-world");
    refused(&w.push("samples/nginx:v2").await, "push nginx", DENIED);

    // Remove content/write on hello-world: the change applies at the next authentication,
    // which for docker is every push.
    w.acr
        .ok("acr scope-map update --name MyToken-scope-map --registry myregistry \\\n  --remove samples/hello-world content/write")
        .await;
    w.docker.import("local/third", "third version\n").await;
    w.tag("local/third", "samples/hello-world:v3").await;
    refused(
        &w.push("samples/hello-world:v3").await,
        "push hello-world after the update",
        DENIED,
    );
    ok(
        &w.pull("samples/hello-world:v2").await,
        "pull hello-world after the update",
    );

    // New passwords: the new one logs in.
    let pw2 = w
        .password(
            "acr token credential generate \\\n  --name MyToken --registry myregistry --days 30",
        )
        .await;
    w.logged_in("MyToken", &pw2).await;

    // A disabled token logs in no more, and its stored credentials pull no more.
    w.acr
        .ok("acr token update --name MyToken --registry myregistry --status disabled")
        .await;
    w.locked_out("MyToken", &pw2, "disabled token").await;
    w.acr
        .ok("acr token update --name MyToken --registry myregistry --status enabled")
        .await;
    w.logged_in("MyToken", &pw2).await;

    // A deleted token: refused likewise.
    w.acr
        .ok("acr token delete --name MyToken --registry myregistry --yes")
        .await;
    w.locked_out("MyToken", &pw2, "deleted token").await;
}

/// The Chinese edition: a scope map (write and read on hello-world) and a token using it;
/// tagged local images, docker login, push allowed and refused, the scope-map update that
/// flips them (write on nginx, no write on hello-world), pulls of both, then the disabled and
/// deleted token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_walks_through_the_chinese_edition() {
    let Some(w) = Walkthrough::start().await else {
        return;
    };
    w.acr
        .ok("acr scope-map create --name MyScopeMap --registry myregistry \\\n  --repository samples/hello-world \\\n  content/write content/read \\\n  --description \"Sample scope map\"")
        .await;
    let pw = w
        .password("acr token create --name MyToken \\\n  --registry myregistry \\\n  --scope-map MyScopeMap")
        .await;
    // docker pull mcr.azk8s.cn/hello-world, …/nginx:1.15.5-alpine; docker tag: offline, import.
    let hello_id = w
        .docker
        .import("mcr.azk8s.cn/hello-world", "hello, world\n")
        .await;
    let nginx_id = w
        .docker
        .import(
            "mcr.azk8s.cn/oss/nginx/nginx:1.15.5-alpine",
            "nginx 1.15.5\n",
        )
        .await;
    w.tag("mcr.azk8s.cn/hello-world", "samples/hello-world:v1")
        .await;
    w.tag(
        "mcr.azk8s.cn/oss/nginx/nginx:1.15.5-alpine",
        "samples/nginx:v1",
    )
    .await;

    w.logged_in("MyToken", &pw).await;
    ok(&w.push("samples/hello-world:v1").await, "push hello-world");
    refused(&w.push("samples/nginx:v1").await, "push nginx", DENIED);

    w.acr
        .ok("acr scope-map update \\\n  --name MyScopeMap \\\n  --registry myregistry \\\n  --add-repository samples/nginx content/write content/read \\\n  --remove-repository samples/hello-world content/write ")
        .await;
    ok(
        &w.push("samples/nginx:v1").await,
        "push nginx after the update",
    );
    // The same content again: the blobs exist, but the manifest needs push.
    refused(
        &w.push("samples/hello-world:v1").await,
        "push hello-world after the update",
        DENIED,
    );
    w.pulled("samples/nginx:v1", &nginx_id).await;
    w.pulled("samples/hello-world:v1", &hello_id).await;

    w.acr
        .ok("acr token update --name MyToken --registry myregistry \\\n  --status disabled")
        .await;
    w.locked_out("MyToken", &pw, "disabled token").await;
    w.acr
        .ok("acr token delete --name MyToken --registry myregistry --yes")
        .await;
    w.locked_out("MyToken", &pw, "deleted token").await;
}

/// `acr login -n R -u T -p …` writes the Docker config the daemon's client reads: docker
/// pulls with no `docker login`, and is refused where the token's map says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acr_login_then_docker_pull_without_docker_login() {
    let Some(mut w) = Walkthrough::start().await else {
        return;
    };
    let [hello_id, _] = w.seed_images().await;
    let pw =
        w.r.token("Puller", &["repositories/samples/hello-world/content/read"])
            .await;
    let config = w.docker.config().display().to_string();
    w.acr.set_env("DOCKER_CONFIG", &config);
    let login = w
        .acr
        .ok(&format!("acr login -n myregistry -u Puller -p {pw}"))
        .await;
    assert_eq!(login.stdout, "Login Succeeded\n");
    w.pulls_only_hello_world(&hello_id).await;
    w.docker.import("local/x", "x\n").await;
    w.tag("local/x", "samples/hello-world:v9").await;
    refused(
        &w.push("samples/hello-world:v9").await,
        "docker push with content/read only",
        DENIED,
    );
}
